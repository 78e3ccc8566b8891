-- Extensions: pgvector for dense retrieval, pg_trgm for typo tolerance, unaccent for
-- accent-insensitive search.
CREATE EXTENSION IF NOT EXISTS vector;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS pg_trgm;
--> statement-breakpoint
CREATE EXTENSION IF NOT EXISTS unaccent;
--> statement-breakpoint
-- The role the server's queries run as. Roles are cluster-wide, so another database on the
-- same server may have created it already (possibly at this very moment).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'causette_app') THEN
    CREATE ROLE causette_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
-- The migrating user must be able to SET ROLE to it.
DO $$
BEGIN
  EXECUTE format('GRANT causette_app TO %I', current_user);
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;
END
$$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO causette_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO causette_app;
--> statement-breakpoint
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO causette_app;
--> statement-breakpoint
-- The tenant of the current transaction, as set by withTenant(); NULL outside one.
CREATE OR REPLACE FUNCTION causette_current_tenant() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
-- Accent-insensitive text search configurations: French and English stemming, and a plain one.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'causette_fr') THEN
    CREATE TEXT SEARCH CONFIGURATION causette_fr (COPY = pg_catalog.french);
    ALTER TEXT SEARCH CONFIGURATION causette_fr
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'causette_en') THEN
    CREATE TEXT SEARCH CONFIGURATION causette_en (COPY = pg_catalog.english);
    ALTER TEXT SEARCH CONFIGURATION causette_en
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'causette_simple') THEN
    CREATE TEXT SEARCH CONFIGURATION causette_simple (COPY = pg_catalog.simple);
    ALTER TEXT SEARCH CONFIGURATION causette_simple
      ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
  END IF;
END
$$;
--> statement-breakpoint
-- The distinct lower-case, unaccented words of a text, as the vocabulary for typo correction.
CREATE OR REPLACE FUNCTION causette_words(input text) RETURNS SETOF text
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$
    SELECT DISTINCT w
    FROM regexp_split_to_table(lower(unaccent(coalesce(input, ''))), '[^a-z0-9]+') AS w
    WHERE length(w) BETWEEN 3 AND 64
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION causette_set_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  NEW.updated_at := now();
  RETURN NEW;
END
$$;
