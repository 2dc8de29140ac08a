-- Access control (issue 13): tokens by hash, the recorded stage of each pair, who read what.

CREATE TABLE api_tokens (
    token_id        text        PRIMARY KEY,
    token_sha256    text        NOT NULL UNIQUE,
    viewer          text        NOT NULL,
    role            text        NOT NULL,
    profile_id      text,
    posting_owner   text,
    posting_id      text,
    issued_at       timestamptz NOT NULL,
    expires_at      timestamptz,
    revoked_at      timestamptz,
    issued_by       text        NOT NULL,
    event_id        uuid        NOT NULL
);
CREATE INDEX api_tokens_viewer ON api_tokens (viewer);

CREATE TABLE match_stages (
    profile_id      text        NOT NULL,
    posting_id      text        NOT NULL,
    stage           text        NOT NULL,
    stage_rank      integer     NOT NULL,
    changed_at      timestamptz NOT NULL,
    changed_by      text        NOT NULL,
    changed_role    text        NOT NULL,
    event_id        uuid        NOT NULL,
    PRIMARY KEY (profile_id, posting_id)
);

CREATE TABLE stage_history (
    event_id        uuid        PRIMARY KEY,
    profile_id      text        NOT NULL,
    posting_id      text        NOT NULL,
    from_stage      text        NOT NULL,
    to_stage        text        NOT NULL,
    actor           text        NOT NULL,
    actor_role      text        NOT NULL,
    channel         text        NOT NULL,
    occurred_at     timestamptz NOT NULL
);

CREATE TABLE access_reads (
    event_id        uuid        PRIMARY KEY,
    viewer          text        NOT NULL,
    role            text        NOT NULL,
    profile_id      text,
    posting_id      text        NOT NULL,
    field           text        NOT NULL,
    stage           text        NOT NULL,
    revealed        boolean     NOT NULL,
    strategy        text,
    purpose         text        NOT NULL,
    reason          text        NOT NULL,
    channel         text        NOT NULL,
    occurred_at     timestamptz NOT NULL
);
CREATE INDEX access_reads_viewer ON access_reads (viewer, occurred_at);
CREATE INDEX access_reads_profile ON access_reads (profile_id, occurred_at);
