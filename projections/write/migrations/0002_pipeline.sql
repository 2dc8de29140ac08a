-- The posting pipeline's projections: runs, decisions, versioned derivations, requirements.

CREATE TABLE runs (
    run_id             uuid PRIMARY KEY,
    posting_id         text        NOT NULL,
    status             text        NOT NULL CHECK (status IN ('started', 'completed', 'failed')),
    reason             text        NOT NULL,
    trigger            text        NOT NULL,
    requested_by       text        NOT NULL,
    priority           integer     NOT NULL,
    start_step         text        NOT NULL,
    model_config       jsonb       NOT NULL,
    command_event_id   text,
    started_at         timestamptz NOT NULL,
    finished_at        timestamptz,
    error              text,
    failed_step        text,
    derivation_version integer,
    last_event_id      uuid        NOT NULL
);
CREATE INDEX runs_posting ON runs (posting_id);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_reason ON runs (reason);

CREATE TABLE decisions (
    event_id           uuid PRIMARY KEY,
    subject_id         text        NOT NULL,
    run_id             text,
    step               text        NOT NULL,
    task               text        NOT NULL,
    item_index         integer,
    engine             text        NOT NULL,
    model              text        NOT NULL,
    prompt_version     text        NOT NULL,
    prompt_hash        text        NOT NULL,
    input_hash         text        NOT NULL,
    input_event_ids    text[]      NOT NULL,
    output             jsonb,
    status             text        NOT NULL,
    latency_ms         double precision NOT NULL,
    tokens_in          integer     NOT NULL,
    tokens_out         integer     NOT NULL,
    attempts           integer     NOT NULL,
    reused_decision_id text,
    error              text,
    flags              text[]      NOT NULL,
    occurred_at        timestamptz NOT NULL
);
CREATE INDEX decisions_subject ON decisions (subject_id);
CREATE INDEX decisions_run ON decisions (run_id);
-- The reuse lookup: same task, input, engine, model and prompt, succeeded before.
CREATE INDEX decisions_reuse ON decisions (task, input_hash, engine, model, prompt_hash)
    WHERE status IN ('ok', 'reused');

CREATE TABLE derivations (
    posting_id        text        NOT NULL,
    version           integer     NOT NULL,
    event_id          uuid        NOT NULL UNIQUE,
    run_id            text,
    posting_event_id  text        NOT NULL,
    summary           text,
    culture_text      text,
    responsibilities  jsonb       NOT NULL,
    skills            jsonb       NOT NULL,
    red_flags         jsonb       NOT NULL,
    ihl_score         double precision,
    red_flag_category text,
    ghost_score       double precision,
    engine_config     jsonb       NOT NULL,
    decision_ids      text[]      NOT NULL,
    reason            text,
    created_at        timestamptz NOT NULL,
    PRIMARY KEY (posting_id, version)
);

-- Which version is in force: the newest, unless a rollback chose another.
CREATE TABLE derivation_heads (
    posting_id       text PRIMARY KEY,
    version          integer     NOT NULL,
    event_id         uuid        NOT NULL,
    rolled_back_from integer,
    reason           text,
    updated_at       timestamptz NOT NULL
);

CREATE VIEW derivations_latest AS
    SELECT d.*, h.rolled_back_from, h.event_id AS head_event_id
    FROM derivations d JOIN derivation_heads h USING (posting_id, version);

-- One row per requirement and alternative proof stack (seed 000's JSONB query patterns).
CREATE TABLE requirements (
    posting_id   text    NOT NULL,
    version      integer NOT NULL,
    idx          integer NOT NULL,
    alt          integer NOT NULL,
    text         text    NOT NULL,
    proof_stack  jsonb   NOT NULL,
    decision_id  text,
    PRIMARY KEY (posting_id, version, idx, alt)
);
CREATE INDEX requirements_proof_stack ON requirements USING GIN (proof_stack jsonb_path_ops);
CREATE INDEX requirements_experience_value
    ON requirements (((proof_stack -> 'experience' ->> 'value')::numeric));

CREATE VIEW requirements_latest AS
    SELECT r.* FROM requirements r JOIN derivation_heads h USING (posting_id, version);

CREATE INDEX audit_log_topic_key ON audit_log (topic, key);
