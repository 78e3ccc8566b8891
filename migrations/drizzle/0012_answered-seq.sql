ALTER TABLE "conversations" ADD COLUMN "answered_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Conversations that already have replies: past the newest human message, and past every
-- customer message a bot reply names.
UPDATE "conversations" c SET "answered_seq" = greatest(
  coalesce((SELECT max(m.seq) FROM conversation_messages m WHERE m.conversation_id = c.id AND m.role = 'agent'), 0),
  coalesce((SELECT max(answered.seq) FROM conversation_messages r
            JOIN conversation_messages answered ON answered.id::text = r.metadata ->> 'reply_to'
            WHERE r.conversation_id = c.id AND r.role = 'assistant'), 0)
);
