-- updated_at is the database's job on the bot brain's tables too.
CREATE TRIGGER set_updated_at BEFORE UPDATE ON intents
  FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER set_updated_at BEFORE UPDATE ON tenant_bot_settings
  FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER set_updated_at BEFORE UPDATE ON notifications
  FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER set_updated_at BEFORE UPDATE ON conversation_memories
  FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at();
--> statement-breakpoint
-- Work that spans tenants (delivering due notifications, the daily topics job) first learns
-- which tenants have some, then does it inside each tenant's own scope. These lookups return
-- ids only, so the app role still reads no other tenant's rows.
-- The caller passes its clock's time, so that retries can be tested without waiting.
CREATE OR REPLACE FUNCTION causette_due_notifications(p_now timestamptz, p_limit integer)
  RETURNS TABLE (id uuid, tenant_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT n.id, n.tenant_id FROM notifications n
    WHERE n.status = 'pending' AND n.next_attempt_at <= p_now
      AND (n.locked_until IS NULL OR n.locked_until < p_now)
    ORDER BY n.next_attempt_at
    LIMIT p_limit
  $$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION causette_tenant_ids() RETURNS SETOF uuid
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT id FROM tenants ORDER BY created_at $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_due_notifications(timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_tenant_ids() FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_due_notifications(timestamptz, integer) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_tenant_ids() TO causette_app;
