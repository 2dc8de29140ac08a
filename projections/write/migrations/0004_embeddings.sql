-- Embeddings (seed 001 §6, seed 003): a content-addressed cache of vectors, and the vectors
-- in force per profile / posting and kind, searchable by cosine distance through HNSW.
-- Applied inside one projection schema (search_path is set by the migrator); the `vector`
-- type comes from the extension in `public`.
-- The dimension is part of the index identity (seed 003 §6.2): 384 is all-MiniLM-L6-v2's.
-- Another model with another dimension needs a new migration, never mixed rows.

-- Not derived from events: a cache keyed by sha256(model, dimension, normalised text). Safe to
-- empty at any time (everything is re-embedded), so it is kept out of projection checksums.
CREATE TABLE embedding_cache (
    content_hash text        PRIMARY KEY,
    model        text        NOT NULL,
    dim          integer     NOT NULL,
    vector       vector(384) NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now()
);

-- kind: hard_skills, soft_skills, logistics, title (processors.embeddings.texts.PROFILE_KINDS).
-- version: the profile version the text was built from; an older version never overwrites.
CREATE TABLE profile_embeddings (
    profile_id   text        NOT NULL,
    version      integer     NOT NULL,
    kind         text        NOT NULL,
    content_hash text        NOT NULL,
    model        text        NOT NULL,
    embedding    vector(384) NOT NULL,
    PRIMARY KEY (profile_id, kind)
);

-- kind: requirements, culture, title (POSTING_KINDS). A posting without culture text holds
-- the zero vector: neutral in scoring, and HNSW (cosine) does not index it, so it is never
-- a kNN candidate.
CREATE TABLE posting_embeddings (
    posting_id   text        NOT NULL,
    version      integer     NOT NULL,
    kind         text        NOT NULL,
    content_hash text        NOT NULL,
    model        text        NOT NULL,
    embedding    vector(384) NOT NULL,
    PRIMARY KEY (posting_id, kind)
);

CREATE INDEX profile_embeddings_hnsw ON profile_embeddings
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
CREATE INDEX posting_embeddings_hnsw ON posting_embeddings
    USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64);
