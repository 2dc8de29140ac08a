-- Profile experience atoms for hybrid retrieval (seed 003). Applied inside one projection
-- schema; search_path is "<schema>, public" and the vector extension lives in public.
-- The text is canonical (from profile events); the embedding is derived and may be set to
-- NULL and regenerated at any time: content_hash says when it is stale.

CREATE TABLE profile_atoms (
    profile_id    text     NOT NULL,
    atom_id       text     NOT NULL,
    version       integer  NOT NULL,       -- profile version the atom was read from
    title         text     NOT NULL DEFAULT '',
    text          text     NOT NULL,       -- title, claim and tags: what lexical search reads
    source        text     NOT NULL,       -- pointer into the profile, e.g. work_history[2]
    domain        text,
    tags          text[]   NOT NULL DEFAULT '{}',
    started       date,
    ended         date,
    verified      boolean  NOT NULL DEFAULT false,
    content_hash  text     NOT NULL,       -- of the embedding input (seed 003 §4.3)
    tsv           tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
    embedding     vector(384),
    PRIMARY KEY (profile_id, atom_id)
);
CREATE INDEX profile_atoms_tsv ON profile_atoms USING gin (tsv);
CREATE INDEX profile_atoms_embedding ON profile_atoms USING hnsw (embedding vector_cosine_ops);
