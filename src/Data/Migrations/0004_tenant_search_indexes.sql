-- Full-text and trigram matches scoped by merchant inside the GIN index itself: with the plain
-- GIN indexes a common word matched every merchant's chunks before the merchant filter applied.
-- btree_gin lets a GIN index lead with merchant_id (a trusted extension since PostgreSQL 13).
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX IF NOT EXISTS ix_document_chunks_merchant_search ON document_chunks USING gin (merchant_id, search);
CREATE INDEX IF NOT EXISTS ix_document_chunks_merchant_title_trgm ON document_chunks USING gin (merchant_id, title_folded gin_trgm_ops);
DROP INDEX IF EXISTS ix_document_chunks_search;
DROP INDEX IF EXISTS ix_document_chunks_title_trgm;
