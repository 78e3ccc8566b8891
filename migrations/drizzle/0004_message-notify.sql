-- Every stored message is announced to every server process (LISTEN causette_events), whoever
-- stored it: the process a visitor is connected to learns of a reply stored by another (a
-- human operator's, a bot's). Sent at commit, in commit order, never for a rolled-back insert.
-- The row rides along when it fits in a notification (8000 bytes); otherwise only its key does
-- and the listener reads it.
CREATE OR REPLACE FUNCTION causette_notify_message() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
DECLARE
  payload text;
BEGIN
  payload := json_build_object('k', 'm', 't', NEW.tenant_id, 'c', NEW.conversation_id, 's', NEW.seq, 'r', row_to_json(NEW))::text;
  IF octet_length(payload) > 7900 THEN
    payload := json_build_object('k', 'm', 't', NEW.tenant_id, 'c', NEW.conversation_id, 's', NEW.seq)::text;
  END IF;
  PERFORM pg_notify('causette_events', payload);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER conversation_messages_notify AFTER INSERT ON conversation_messages
  FOR EACH ROW EXECUTE FUNCTION causette_notify_message();
