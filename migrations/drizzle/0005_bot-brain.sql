CREATE TABLE "conversation_memories" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"summary" text NOT NULL,
	"through_seq" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "conversation_memories" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "intents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"name" varchar(64) NOT NULL,
	"description" text,
	"examples" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "intents_tenant_name" UNIQUE("tenant_id","name"),
	CONSTRAINT "intents_name_format" CHECK ("intents"."name" ~ '^[a-z][a-z0-9_]{0,63}$')
);
--> statement-breakpoint
ALTER TABLE "intents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "notifications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"event" varchar(64) NOT NULL,
	"channel" varchar(20) NOT NULL,
	"target" varchar(500) NOT NULL,
	"escalation_id" uuid,
	"conversation_id" uuid,
	"payload" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_error" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "notifications_channel" CHECK ("notifications"."channel" in ('webhook', 'email')),
	CONSTRAINT "notifications_status" CHECK ("notifications"."status" in ('pending', 'sent', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "notifications" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenant_bot_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"confidence_threshold" real DEFAULT 0.5 NOT NULL,
	"low_confidence_turns" integer DEFAULT 2 NOT NULL,
	"escalation_intents" text[] DEFAULT '{human_agent,complaint,returns_refund}'::text[] NOT NULL,
	"negative_sentiment_threshold" real DEFAULT -0.6 NOT NULL,
	"escalate_on_negative_sentiment" boolean DEFAULT true NOT NULL,
	"memory_turns" integer DEFAULT 10 NOT NULL,
	"webhook_url" varchar(500),
	"webhook_secret_encrypted" text,
	"notify_emails" text[] DEFAULT '{}'::text[] NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bot_settings_threshold" CHECK ("tenant_bot_settings"."confidence_threshold" between 0 and 1),
	CONSTRAINT "bot_settings_turns" CHECK ("tenant_bot_settings"."low_confidence_turns" between 0 and 20),
	CONSTRAINT "bot_settings_sentiment" CHECK ("tenant_bot_settings"."negative_sentiment_threshold" between -1 and 0),
	CONSTRAINT "bot_settings_memory" CHECK ("tenant_bot_settings"."memory_turns" between 1 and 50)
);
--> statement-breakpoint
ALTER TABLE "tenant_bot_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "need" text;--> statement-breakpoint
ALTER TABLE "leads" ADD COLUMN "score_value" integer;--> statement-breakpoint
ALTER TABLE "conversation_memories" ADD CONSTRAINT "conversation_memories_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_memories" ADD CONSTRAINT "conversation_memories_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "intents" ADD CONSTRAINT "intents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_escalation_id_escalations_id_fk" FOREIGN KEY ("escalation_id") REFERENCES "public"."escalations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notifications" ADD CONSTRAINT "notifications_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_bot_settings" ADD CONSTRAINT "tenant_bot_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_notifications_tenant" ON "notifications" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_notifications_due" ON "notifications" USING btree ("next_attempt_at") WHERE "notifications"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_notifications_escalation" ON "notifications" USING btree ("escalation_id");--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_score_value" CHECK ("leads"."score_value" between 0 and 100);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "conversation_memories" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "intents" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "notifications" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tenant_bot_settings" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());