-- Erasure by crypto-shredding (issue 13). Keys live outside every projection schema, so a
-- rebuild never recreates one: a destroyed key stays destroyed.
CREATE SCHEMA IF NOT EXISTS turing_keys;
CREATE TABLE IF NOT EXISTS turing_keys.profile_keys (
    profile_id      text        PRIMARY KEY,
    key             bytea       NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE erasures (
    profile_id      text        PRIMARY KEY,
    event_id        uuid        NOT NULL,
    reason          text        NOT NULL,
    requested_by    text        NOT NULL,
    erased_at       timestamptz NOT NULL
);
