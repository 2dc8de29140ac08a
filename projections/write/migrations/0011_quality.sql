-- The quality loop: the jury's verdict per match event, feedback on matches, and QA findings.

CREATE TABLE jury_verdicts (
    match_event_id     text        PRIMARY KEY,
    profile_id         text        NOT NULL,
    helen_decision_id  uuid        NOT NULL,
    oscar_decision_id  text,
    rita_decision_id   text,
    verdict            text        NOT NULL,
    reasons            jsonb       NOT NULL,
    addresses          jsonb       NOT NULL,
    engine             text        NOT NULL,
    decided_at         timestamptz NOT NULL
);
CREATE INDEX jury_verdicts_profile ON jury_verdicts (profile_id);

CREATE TABLE feedback (
    event_id           uuid        PRIMARY KEY,
    profile_id         text        NOT NULL,
    posting_id         text        NOT NULL,
    match_event_id     text        NOT NULL,
    profile_version    integer,
    derivation_version integer,
    verdict            text        NOT NULL,
    reason             text,
    category           text        NOT NULL,
    component          text,
    classifier         text        NOT NULL,
    decision_ids       text[]      NOT NULL,
    author             text        NOT NULL,
    given_at           timestamptz NOT NULL
);
CREATE INDEX feedback_pair ON feedback (profile_id, posting_id);
CREATE INDEX feedback_match ON feedback (match_event_id);

CREATE TABLE qa_findings (
    finding_id         uuid        PRIMARY KEY,
    short_id           text        NOT NULL UNIQUE,
    target             text        NOT NULL,
    dimension          text        NOT NULL,
    severity           text        NOT NULL,
    ref_id             text        NOT NULL,
    other_ref_id       text,
    similarity         double precision,
    value              double precision NOT NULL,
    subject_id         text        NOT NULL,
    posting_id         text        NOT NULL,
    step               text        NOT NULL,
    note               text        NOT NULL,
    sampler            text        NOT NULL,
    status             text        NOT NULL,
    review             text,
    review_note        text,
    reviewer           text,
    reviewed_at        timestamptz,
    remediation_command_id text,
    remediated_at      timestamptz,
    found_at           timestamptz NOT NULL
);
CREATE INDEX qa_findings_status ON qa_findings (status);
