-- decisions v3: the taxonomy a step read (name#content hash), null for steps that read none and
-- for decisions made before v3. Part of the reuse key, so the reuse index carries it.
ALTER TABLE decisions ADD COLUMN taxonomy text;
DROP INDEX decisions_reuse;
CREATE INDEX decisions_reuse ON decisions (task, input_hash, engine, model, prompt_hash, taxonomy)
    WHERE status IN ('ok', 'reused');
