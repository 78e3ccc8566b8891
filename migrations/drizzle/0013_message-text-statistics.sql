-- No plan ever filters messages on their text or on their metadata as whole columns (expressions
-- over the metadata have no column statistics to use), and gathering those two columns'
-- statistics is most of what ANALYZE does on the busiest table: 165 ms of a core for 30,000
-- messages, 70 ms without them. A table of messages growing under load is analysed often, each
-- time a burst that a small server's answers wait behind.
ALTER TABLE "conversation_messages" ALTER COLUMN "content" SET STATISTICS 0;--> statement-breakpoint
ALTER TABLE "conversation_messages" ALTER COLUMN "metadata" SET STATISTICS 0;
