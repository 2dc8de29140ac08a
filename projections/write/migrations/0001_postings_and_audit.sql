-- Applied inside one projection schema (search_path is set by the migrator).

-- Every event ever applied, with where it sits in the log: the audit trail.
CREATE TABLE audit_log (
    event_id            uuid PRIMARY KEY,
    topic               text        NOT NULL,
    partition           integer     NOT NULL,
    "offset"            bigint      NOT NULL,
    key                 text,
    event_type          text        NOT NULL,
    occurred_at         timestamptz NOT NULL,
    producer_component  text        NOT NULL,
    producer_version    text        NOT NULL,
    causation_id        text,
    correlation_id      text,
    run_id              text,
    schema_id           integer     NOT NULL,
    value_sha256        text        NOT NULL,
    record              jsonb       NOT NULL,
    UNIQUE (topic, partition, "offset")
);
CREATE INDEX audit_log_causation ON audit_log (causation_id);
CREATE INDEX audit_log_correlation ON audit_log (correlation_id);

-- A re-delivered event (same id, other coordinates): recorded, never applied twice.
CREATE TABLE event_duplicates (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    "offset"    bigint  NOT NULL,
    event_id    uuid    NOT NULL,
    PRIMARY KEY (topic, partition, "offset")
);

-- Records the projector could not decode; each also went to the deadletters topic.
CREATE TABLE rejected_records (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    "offset"    bigint  NOT NULL,
    error       text    NOT NULL,
    dead_letter_event_id uuid,
    PRIMARY KEY (topic, partition, "offset")
);

-- Next offset to read, written in the same transaction as the rows it produced.
CREATE TABLE projector_offsets (
    topic       text    NOT NULL,
    partition   integer NOT NULL,
    next_offset bigint  NOT NULL,
    PRIMARY KEY (topic, partition)
);

CREATE TABLE postings (
    posting_id      text PRIMARY KEY,
    version         integer     NOT NULL,
    status          text        NOT NULL CHECK (status IN ('open', 'withdrawn')),
    content_hash    text        NOT NULL,
    source          text        NOT NULL,
    title           text        NOT NULL,
    company         text        NOT NULL,
    location        text        NOT NULL,
    description     text        NOT NULL,
    salary_min      double precision,
    salary_max      double precision,
    currency        text,
    work_model      text,
    posted_at       timestamptz,
    url             text,
    first_seen_at   timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    last_event_id   uuid        NOT NULL,
    -- field name -> id of the event that set the field's current value (lineage)
    field_events    jsonb       NOT NULL
);
CREATE INDEX postings_company ON postings (company);
CREATE INDEX postings_status ON postings (status);

CREATE TABLE posting_versions (
    posting_id    text        NOT NULL,
    version       integer     NOT NULL,
    event_id      uuid        NOT NULL UNIQUE,
    event_type    text        NOT NULL,
    content_hash  text        NOT NULL,
    content       jsonb       NOT NULL,
    changed_fields text[]     NOT NULL,
    occurred_at   timestamptz NOT NULL,
    PRIMARY KEY (posting_id, version)
);
