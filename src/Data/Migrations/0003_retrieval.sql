-- Retrieval: documents are split into chunks; each chunk carries its full-text vector (in the
-- document's language, accents folded), a normalised title for trigram matching, and an
-- embedding from the configured model. The embedding column has no fixed dimension: each model
-- gets its own partial HNSW index on (embedding::vector(N)) WHERE model = '<id>', created by the
-- host for the configured model, so vectors of two models are never compared.

-- Text-search configurations per language that fold accents before stemming.
CREATE TEXT SEARCH CONFIGURATION agents_italian (COPY = pg_catalog.italian);
ALTER TEXT SEARCH CONFIGURATION agents_italian ALTER MAPPING FOR hword, hword_part, word WITH unaccent, italian_stem;
CREATE TEXT SEARCH CONFIGURATION agents_spanish (COPY = pg_catalog.spanish);
ALTER TEXT SEARCH CONFIGURATION agents_spanish ALTER MAPPING FOR hword, hword_part, word WITH unaccent, spanish_stem;
CREATE TEXT SEARCH CONFIGURATION agents_english (COPY = pg_catalog.english);
ALTER TEXT SEARCH CONFIGURATION agents_english ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;

-- unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes it safe
-- to use in generated columns and indexes.
CREATE FUNCTION agents_fold(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN lower(public.unaccent('public.unaccent'::regdictionary, $1));

CREATE FUNCTION agents_ts_config(language text) RETURNS regconfig
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN CASE language WHEN 'it' THEN 'agents_italian'::regconfig
                         WHEN 'es' THEN 'agents_spanish'::regconfig
                         ELSE 'agents_english'::regconfig END;

ALTER TABLE documents ADD COLUMN language_detected boolean NOT NULL DEFAULT false;
ALTER TABLE documents ADD COLUMN indexed_at timestamptz;

CREATE TABLE document_chunks (
    id           uuid PRIMARY KEY,
    merchant_id  uuid NOT NULL REFERENCES merchants (id) ON DELETE CASCADE,
    document_id  uuid NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
    ordinal      integer NOT NULL,
    type         text NOT NULL,
    language     text NOT NULL,
    title        text NOT NULL,
    content      text NOT NULL,
    token_count  integer NOT NULL,
    model        text,
    embedding    vector,
    title_folded text GENERATED ALWAYS AS (agents_fold(title)) STORED,
    search       tsvector GENERATED ALWAYS AS (
                     setweight(to_tsvector(agents_ts_config(language), title), 'A') ||
                     setweight(to_tsvector(agents_ts_config(language), content), 'B')) STORED,
    UNIQUE (document_id, ordinal)
);
CREATE INDEX ix_document_chunks_merchant ON document_chunks (merchant_id, type, language);
CREATE INDEX ix_document_chunks_document ON document_chunks (document_id);
CREATE INDEX ix_document_chunks_search ON document_chunks USING gin (search);
CREATE INDEX ix_document_chunks_title_trgm ON document_chunks USING gin (title_folded gin_trgm_ops);
CREATE INDEX ix_document_chunks_stale ON document_chunks (model);

-- A query's words OR-ed together (plainto_tsquery ANDs them, which a chat question rarely
-- satisfies in full); ts_rank_cd then ranks chunks matching more of them higher.
CREATE FUNCTION or_query(config regconfig, query text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
    RETURN coalesce(nullif(replace(plainto_tsquery(config, query)::text, ' & ', ' | '), '')::tsquery, ''::tsquery);
