-- updated_at for the new tables, as for every other table that has one.
CREATE TRIGGER set_updated_at BEFORE UPDATE ON channel_contacts
  FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER set_updated_at BEFORE UPDATE ON channel_settings
  FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at();
--> statement-breakpoint
CREATE TRIGGER set_updated_at BEFORE UPDATE ON outbound_messages
  FOR EACH ROW EXECUTE FUNCTION causette_set_updated_at();
--> statement-breakpoint
-- Webhook routing happens before the tenant is known: the owner of an active connected account.
CREATE OR REPLACE FUNCTION causette_social_account_owner(p_platform text, p_account_id text)
  RETURNS TABLE (tenant_id uuid, social_account_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT a.tenant_id, a.id FROM social_accounts a
    WHERE a.platform = p_platform AND a.account_id = p_account_id AND a.is_active
  $$;
--> statement-breakpoint
-- Stores webhook deliveries (already signature-checked) in one statement; a byte-identical
-- copy of a stored delivery (Meta's retry) is skipped. Returns how many were new.
CREATE OR REPLACE FUNCTION causette_webhook_ingest(p_platform text, p_hashes text[], p_bodies text[])
  RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
DECLARE
  inserted integer;
BEGIN
  INSERT INTO webhook_events (platform, body_sha256, body)
  SELECT p_platform, h, b FROM unnest(p_hashes, p_bodies) AS u(h, b)
  ON CONFLICT (platform, body_sha256) DO NOTHING;
  GET DIAGNOSTICS inserted = ROW_COUNT;
  RETURN inserted;
END
$$;
--> statement-breakpoint
-- Hands up to p_limit pending deliveries to one worker for p_lease_seconds. SKIP LOCKED lets
-- several server processes claim side by side without waiting on one another.
CREATE OR REPLACE FUNCTION causette_webhook_claim(p_limit integer, p_now timestamptz, p_lease_seconds integer)
  RETURNS TABLE (id uuid, platform varchar, body text, attempts integer)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    UPDATE webhook_events e
    SET locked_until = p_now + make_interval(secs => p_lease_seconds), attempts = e.attempts + 1
    WHERE e.id IN (
      SELECT c.id FROM webhook_events c
      WHERE c.status = 'pending' AND (c.locked_until IS NULL OR c.locked_until <= p_now)
      ORDER BY c.seq
      LIMIT p_limit
      FOR UPDATE SKIP LOCKED
    )
    RETURNING e.id, e.platform, e.body, e.attempts
  $$;
--> statement-breakpoint
-- Records the outcome of a claimed delivery: done, failed for good, or pending again after
-- p_retry_at.
CREATE OR REPLACE FUNCTION causette_webhook_finish(
  p_id uuid, p_status text, p_error text, p_now timestamptz, p_retry_at timestamptz
) RETURNS void
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    UPDATE webhook_events
    SET status = p_status,
        last_error = p_error,
        processed_at = CASE WHEN p_status = 'pending' THEN NULL ELSE p_now END,
        locked_until = CASE WHEN p_status = 'pending' THEN p_retry_at ELSE NULL END
    WHERE id = p_id
  $$;
--> statement-breakpoint
-- Deliveries processed before p_before are no longer needed to spot Meta's retries.
CREATE OR REPLACE FUNCTION causette_webhook_purge(p_before timestamptz) RETURNS integer
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
DECLARE
  deleted integer;
BEGIN
  DELETE FROM webhook_events WHERE status = 'done' AND processed_at < p_before;
  GET DIAGNOSTICS deleted = ROW_COUNT;
  RETURN deleted;
END
$$;
--> statement-breakpoint
-- Hands due outbox parts of any tenant to one sender for p_lease_seconds. Only the oldest
-- unfinished message part of each conversation is due, so a conversation's parts leave in order
-- even with several senders; read receipts never hold a message back. A part still 'sending' after its lease comes back with ambiguous =
-- true: the previous sender may or may not have reached Meta.
CREATE OR REPLACE FUNCTION causette_outbox_claim(p_limit integer, p_now timestamptz, p_lease_seconds integer)
  RETURNS TABLE (id uuid, tenant_id uuid, ambiguous boolean, kind varchar)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    WITH due AS (
      SELECT o.id, o.seq, o.status FROM outbound_messages o
      WHERE ((o.status = 'pending' AND o.next_attempt_at <= p_now)
          OR (o.status = 'sending' AND o.lease_until <= p_now))
        AND NOT EXISTS (
          SELECT 1 FROM outbound_messages e
          WHERE e.conversation_id = o.conversation_id AND e.seq < o.seq
            AND e.status IN ('pending', 'sending') AND e.kind <> 'mark_read'
        )
      ORDER BY o.next_attempt_at, o.seq
      LIMIT p_limit
      FOR UPDATE SKIP LOCKED
    )
    UPDATE outbound_messages o
    SET status = 'sending', lease_until = p_now + make_interval(secs => p_lease_seconds),
        attempts = o.attempts + 1
    FROM due
    WHERE o.id = due.id
    RETURNING o.id, o.tenant_id, due.status = 'sending', o.kind
  $$;
--> statement-breakpoint
-- Customer messages on Meta channels whose answer was never stored (the process stopped in
-- between), so that the bot can still answer them.
CREATE OR REPLACE FUNCTION causette_unanswered_messages(p_after timestamptz, p_before timestamptz, p_limit integer)
  RETURNS TABLE (tenant_id uuid, conversation_id uuid, message_id uuid)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    SELECT c.tenant_id, c.id, m.id
    FROM conversations c
    JOIN conversation_messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
    WHERE c.channel IN ('whatsapp', 'instagram') AND c.status <> 'escalated'
      AND c.last_message_at > p_after AND c.last_message_at <= p_before
      AND m.role = 'user' AND m.metadata ->> 'awaiting_answer' = 'true'
    ORDER BY c.last_message_at
    LIMIT p_limit
  $$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_social_account_owner(text, text) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_webhook_ingest(text, text[], text[]) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_webhook_claim(integer, timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_webhook_finish(uuid, text, text, timestamptz, timestamptz) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_webhook_purge(timestamptz) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_outbox_claim(integer, timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
REVOKE ALL ON FUNCTION causette_unanswered_messages(timestamptz, timestamptz, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_social_account_owner(text, text) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_webhook_ingest(text, text[], text[]) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_webhook_claim(integer, timestamptz, integer) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_webhook_finish(uuid, text, text, timestamptz, timestamptz) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_webhook_purge(timestamptz) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_outbox_claim(integer, timestamptz, integer) TO causette_app;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION causette_unanswered_messages(timestamptz, timestamptz, integer) TO causette_app;
