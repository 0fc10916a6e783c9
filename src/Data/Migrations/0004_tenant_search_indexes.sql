-- Full-text and trigram matches scoped by merchant inside the GIN index itself: with the plain
-- GIN indexes a common word matched every merchant's chunks before the merchant filter applied.
-- btree_gin lets a GIN index lead with merchant_id (a trusted extension since PostgreSQL 13).
-- fastupdate off: with the pending list on, every search scanned up to 4 MB of unmerged entries
-- until the next vacuum (measured: 40 ms → 4 ms per hybrid query at 10k chunks). Inserts pay a
-- little more, next to the encoder's milliseconds per chunk.
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX IF NOT EXISTS ix_document_chunks_merchant_search ON document_chunks USING gin (merchant_id, search) WITH (fastupdate = off);
CREATE INDEX IF NOT EXISTS ix_document_chunks_merchant_title_trgm ON document_chunks USING gin (merchant_id, title_folded gin_trgm_ops) WITH (fastupdate = off);
DROP INDEX IF EXISTS ix_document_chunks_search;
DROP INDEX IF EXISTS ix_document_chunks_title_trgm;
