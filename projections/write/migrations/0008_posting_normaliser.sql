-- The text normaliser that produced a posting's stored content (and so its content hash).
-- NULL for content projected from events written before normalisers were versioned (text-1).
ALTER TABLE postings ADD COLUMN normaliser text;
