-- Candidate profiles: the current document and every version.

CREATE TABLE profiles (
    profile_id    text PRIMARY KEY,
    version       integer     NOT NULL,
    content_hash  text        NOT NULL,
    document      jsonb       NOT NULL,
    updated_at    timestamptz NOT NULL,
    last_event_id uuid        NOT NULL
);

CREATE TABLE profile_versions (
    profile_id    text        NOT NULL,
    version       integer     NOT NULL,
    event_id      uuid        NOT NULL UNIQUE,
    content_hash  text        NOT NULL,
    document      jsonb       NOT NULL,
    occurred_at   timestamptz NOT NULL,
    PRIMARY KEY (profile_id, version)
);
