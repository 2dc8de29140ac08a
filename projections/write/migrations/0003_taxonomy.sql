-- The skill taxonomy in use (seed 002 §1.2, §3), replaced as a whole by projections.taxonomy.
-- Applied inside one projection schema (search_path is set by the migrator).

CREATE TABLE taxonomy_categories (
    code    text    PRIMARY KEY,           -- "01", "01.03" or "01.03.01"
    name    text    NOT NULL,
    level   integer NOT NULL CHECK (level BETWEEN 1 AND 3)
);

CREATE TABLE taxonomy_skills (
    code            text    PRIMARY KEY,   -- L1.L2.L3.L4, e.g. 01.03.01.001
    name            text    NOT NULL,
    key             text    NOT NULL,      -- normalised name (seed 001 §4.2.2)
    kind            text    NOT NULL CHECK (kind IN ('hard', 'soft', 'language', 'knowledge')),
    synonyms        text[]  NOT NULL DEFAULT '{}',
    keys            text[]  NOT NULL DEFAULT '{}',  -- normalised name and synonyms, for lookups in SQL
    case_sensitive  text[]  NOT NULL DEFAULT '{}',
    lookup_only     text[]  NOT NULL DEFAULT '{}',
    l1              text    NOT NULL,
    l2              text    NOT NULL,
    l3              text    NOT NULL
);
CREATE INDEX taxonomy_skills_key ON taxonomy_skills (key);
CREATE INDEX taxonomy_skills_keys ON taxonomy_skills USING gin (keys);
CREATE INDEX taxonomy_skills_synonyms ON taxonomy_skills USING gin (synonyms);
CREATE INDEX taxonomy_skills_l3 ON taxonomy_skills (l3);

CREATE TABLE taxonomy_edges (
    from_code   text             NOT NULL REFERENCES taxonomy_skills (code),
    to_code     text             NOT NULL REFERENCES taxonomy_skills (code),
    relation    text             NOT NULL CHECK (relation IN ('is_a', 'related_to', 'adjacent_to', 'prerequisite_of')),
    distance    integer          NOT NULL CHECK (distance BETWEEN 0 AND 3),
    strength    double precision NOT NULL DEFAULT 1.0 CHECK (strength >= 0 AND strength <= 1),
    position    integer          NOT NULL,  -- order in the taxonomy: the first edge of a pair wins
    PRIMARY KEY (from_code, to_code)
);
CREATE INDEX taxonomy_edges_to ON taxonomy_edges (to_code);

-- Which taxonomy the tables hold (one row).
CREATE TABLE taxonomy_source (
    singleton   boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    source      text        NOT NULL,
    skills      integer     NOT NULL,
    loaded_at   timestamptz NOT NULL DEFAULT now()
);
