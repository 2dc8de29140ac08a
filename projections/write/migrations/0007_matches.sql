-- Scored matches: the latest per (profile, posting), and every one ever emitted.

CREATE TABLE matches (
    profile_id          text        NOT NULL,
    posting_id          text        NOT NULL,
    event_id            uuid        NOT NULL UNIQUE,
    profile_version     integer     NOT NULL,
    derivation_version  integer     NOT NULL,
    profile_event_id    text,
    derivation_event_id text,
    fit_total           double precision NOT NULL,
    stretch_total       double precision NOT NULL,
    practical_total     double precision,
    fit_label           text        NOT NULL,
    blocked             boolean     NOT NULL,
    ghost_score         double precision,
    recommendation      text        NOT NULL,
    detail              jsonb       NOT NULL,
    supersedes          text,
    scored_at           timestamptz NOT NULL,
    PRIMARY KEY (profile_id, posting_id)
);
CREATE INDEX matches_ranked ON matches (profile_id, blocked, fit_total DESC);

CREATE TABLE match_history (
    event_id            uuid PRIMARY KEY,
    profile_id          text        NOT NULL,
    posting_id          text        NOT NULL,
    profile_version     integer     NOT NULL,
    derivation_version  integer     NOT NULL,
    fit_total           double precision NOT NULL,
    stretch_total       double precision NOT NULL,
    recommendation      text        NOT NULL,
    supersedes          text,
    scored_at           timestamptz NOT NULL
);
CREATE INDEX match_history_pair ON match_history (profile_id, posting_id);
