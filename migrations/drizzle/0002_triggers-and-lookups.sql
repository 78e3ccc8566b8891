-- updated_at is the database's job: every table that has one gets the trigger.
DO $$
DECLARE
  t text;
BEGIN
  FOREACH t IN ARRAY ARRAY[
    'tenants', 'tenant_widget_configs', 'tenant_business_profiles', 'users', 'social_accounts',
    'conversations', 'escalations', 'meetings', 'documents', 'website_sources', 'faq_entries',
    'leads', 'model_versions'
  ] LOOP
    EXECUTE format(
      'CREATE TRIGGER set_updated_at BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at()',
      t
    );
  END LOOP;
END
$$;
--> statement-breakpoint
-- knowledge_terms follows knowledge_chunks. Statement-level triggers with transition tables
-- turn a bulk insert of thousands of chunks into one aggregated upsert.
CREATE OR REPLACE FUNCTION causette_terms_add() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  INSERT INTO knowledge_terms AS k (tenant_id, term, chunk_count)
  SELECT n.tenant_id, w.term, count(*)
  FROM new_rows n
  CROSS JOIN LATERAL causette_words(coalesce(n.title, '') || ' ' || n.content) AS w(term)
  GROUP BY n.tenant_id, w.term
  ON CONFLICT (tenant_id, term) DO UPDATE SET chunk_count = k.chunk_count + excluded.chunk_count;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION causette_terms_remove() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  UPDATE knowledge_terms k SET chunk_count = k.chunk_count - gone.n
  FROM (
    SELECT o.tenant_id, w.term, count(*) AS n
    FROM old_rows o
    CROSS JOIN LATERAL causette_words(coalesce(o.title, '') || ' ' || o.content) AS w(term)
    GROUP BY o.tenant_id, w.term
  ) AS gone
  WHERE k.tenant_id = gone.tenant_id AND k.term = gone.term;
  DELETE FROM knowledge_terms k
  WHERE k.chunk_count <= 0 AND k.tenant_id IN (SELECT DISTINCT tenant_id FROM old_rows);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION causette_terms_replace() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
BEGIN
  -- An update is a removal of the old text followed by an addition of the new.
  UPDATE knowledge_terms k SET chunk_count = k.chunk_count - gone.n
  FROM (
    SELECT o.tenant_id, w.term, count(*) AS n
    FROM old_rows o
    CROSS JOIN LATERAL causette_words(coalesce(o.title, '') || ' ' || o.content) AS w(term)
    GROUP BY o.tenant_id, w.term
  ) AS gone
  WHERE k.tenant_id = gone.tenant_id AND k.term = gone.term;
  INSERT INTO knowledge_terms AS k (tenant_id, term, chunk_count)
  SELECT n.tenant_id, w.term, count(*)
  FROM new_rows n
  CROSS JOIN LATERAL causette_words(coalesce(n.title, '') || ' ' || n.content) AS w(term)
  GROUP BY n.tenant_id, w.term
  ON CONFLICT (tenant_id, term) DO UPDATE SET chunk_count = k.chunk_count + excluded.chunk_count;
  DELETE FROM knowledge_terms k
  WHERE k.chunk_count <= 0 AND k.tenant_id IN (SELECT DISTINCT tenant_id FROM old_rows);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER knowledge_terms_on_insert AFTER INSERT ON knowledge_chunks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION causette_terms_add();
--> statement-breakpoint
CREATE TRIGGER knowledge_terms_on_delete AFTER DELETE ON knowledge_chunks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION causette_terms_remove();
--> statement-breakpoint
CREATE TRIGGER knowledge_terms_on_update AFTER UPDATE ON knowledge_chunks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION causette_terms_replace();
--> statement-breakpoint
-- Lookups that must happen before the tenant is known. They run with the owner's rights
-- (SECURITY DEFINER) and return nothing but ids, so the app role needs no cross-tenant reads.
CREATE OR REPLACE FUNCTION causette_tenant_by_slug(p_slug text) RETURNS uuid
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT id FROM tenants WHERE slug = p_slug $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION causette_api_key_owner(p_key_hash text)
  RETURNS TABLE (tenant_id uuid, key_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT k.tenant_id, k.id FROM api_keys k
    WHERE k.key_hash = p_key_hash AND k.active AND (k.expires_at IS NULL OR k.expires_at > now())
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_tenant_by_slug(text) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_api_key_owner(text) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_tenant_by_slug(text) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_api_key_owner(text) TO causette_app;
