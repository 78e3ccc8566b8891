-- Every statement that adds, removes or rewrites a tenant's chunks raises the tenant's revision
-- and records which chunks changed. The UPDATE of knowledge_revisions locks the tenant's row until
-- commit, so a later revision never becomes visible before an earlier one: a reader that holds
-- revision r catches up exactly by reading the changes after r.
CREATE OR REPLACE FUNCTION causette_record_chunk_changes(p_tenant uuid, p_chunks uuid[], p_changes char[])
  RETURNS void
  LANGUAGE plpgsql
  AS $$
DECLARE
  rev bigint;
BEGIN
  INSERT INTO knowledge_revisions AS r (tenant_id, revision) VALUES (p_tenant, 1)
  ON CONFLICT (tenant_id) DO UPDATE SET revision = r.revision + 1
  RETURNING r.revision INTO rev;
  INSERT INTO knowledge_changes (tenant_id, revision, chunk_id, change)
  SELECT p_tenant, rev, c.chunk_id, c.change
  FROM unnest(p_chunks, p_changes) AS c(chunk_id, change)
  ON CONFLICT DO NOTHING;
  -- Readers further behind than this rebuild their index from the chunks themselves.
  DELETE FROM knowledge_changes WHERE tenant_id = p_tenant AND revision <= rev - 1000;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION causette_chunks_inserted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  t record;
BEGIN
  FOR t IN SELECT tenant_id, array_agg(id) AS ids FROM new_rows GROUP BY tenant_id LOOP
    PERFORM causette_record_chunk_changes(t.tenant_id, t.ids, array_fill('i'::char, ARRAY[cardinality(t.ids)]));
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION causette_chunks_deleted() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  t record;
BEGIN
  -- A tenant being deleted takes its revision rows with it: nothing to record then.
  FOR t IN
    SELECT o.tenant_id, array_agg(o.id) AS ids FROM old_rows o
    WHERE EXISTS (SELECT 1 FROM tenants WHERE id = o.tenant_id)
    GROUP BY o.tenant_id
  LOOP
    PERFORM causette_record_chunk_changes(t.tenant_id, t.ids, array_fill('d'::char, ARRAY[cardinality(t.ids)]));
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION causette_chunks_updated() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  t record;
BEGIN
  -- Only text changes matter to the lexical index; a new embedding or Qdrant flag does not.
  FOR t IN
    SELECT n.tenant_id, array_agg(n.id) AS ids
    FROM new_rows n JOIN old_rows o ON o.id = n.id
    WHERE n.content IS DISTINCT FROM o.content OR n.title IS DISTINCT FROM o.title
       OR n.lang IS DISTINCT FROM o.lang
    GROUP BY n.tenant_id
  LOOP
    PERFORM causette_record_chunk_changes(t.tenant_id, t.ids || t.ids,
      array_fill('d'::char, ARRAY[cardinality(t.ids)]) || array_fill('i'::char, ARRAY[cardinality(t.ids)]));
  END LOOP;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER knowledge_revisions_on_insert AFTER INSERT ON knowledge_chunks
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION causette_chunks_inserted();
--> statement-breakpoint
CREATE TRIGGER knowledge_revisions_on_delete AFTER DELETE ON knowledge_chunks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION causette_chunks_deleted();
--> statement-breakpoint
CREATE TRIGGER knowledge_revisions_on_update AFTER UPDATE ON knowledge_chunks
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION causette_chunks_updated();
--> statement-breakpoint
CREATE TRIGGER set_updated_at BEFORE UPDATE ON knowledge_jobs
  FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at();
--> statement-breakpoint
-- The scheduler's view across tenants: which website sources are due for a re-crawl. Ids only.
CREATE OR REPLACE FUNCTION causette_due_website_sources(p_now timestamptz, p_limit integer)
  RETURNS TABLE (tenant_id uuid, source_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT s.tenant_id, s.id FROM website_sources s
    WHERE s.crawl_frequency IN ('daily', 'weekly') AND s.status <> 'crawling'
      AND s.next_crawl_at IS NOT NULL AND s.next_crawl_at <= p_now
    ORDER BY s.next_crawl_at
    LIMIT p_limit
  $$;
--> statement-breakpoint
-- Jobs whose process died: running, but no heartbeat since p_before. Ids only.
CREATE OR REPLACE FUNCTION causette_abandoned_knowledge_jobs(p_before timestamptz)
  RETURNS TABLE (tenant_id uuid, job_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT j.tenant_id, j.id FROM knowledge_jobs j
    WHERE j.status IN ('queued', 'running') AND j.heartbeat_at < p_before
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_due_website_sources(timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_abandoned_knowledge_jobs(timestamptz) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_due_website_sources(timestamptz, integer) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_abandoned_knowledge_jobs(timestamptz) TO causette_app;
