CREATE TABLE "channel_contacts" (
	"conversation_id" uuid PRIMARY KEY NOT NULL,
	"tenant_id" uuid NOT NULL,
	"platform" varchar(20) NOT NULL,
	"social_account_id" uuid,
	"wa_id" varchar(64),
	"scoped_user_id" varchar(255),
	"profile_name" varchar(255),
	"username" varchar(255),
	"last_inbound_at" timestamp with time zone,
	"profile_fetched_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_contacts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "channel_settings" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"whatsapp_template_name" varchar(512),
	"whatsapp_template_language" varchar(15),
	"whatsapp_template_text_parameter" boolean DEFAULT false NOT NULL,
	"instagram_human_agent" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "channel_settings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "outbound_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "outbound_messages_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"tenant_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"message_id" uuid,
	"social_account_id" uuid,
	"platform" varchar(20) NOT NULL,
	"kind" varchar(20) NOT NULL,
	"author_role" varchar(20) NOT NULL,
	"part_index" integer DEFAULT 0 NOT NULL,
	"part_count" integer DEFAULT 1 NOT NULL,
	"body" text DEFAULT '' NOT NULL,
	"target_message_id" varchar(512),
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lease_until" timestamp with time zone,
	"platform_message_id" varchar(512),
	"sent_as" varchar(512),
	"error_code" integer,
	"error_subcode" integer,
	"error_message" text,
	"reason" varchar(60),
	"sent_at" timestamp with time zone,
	"delivered_at" timestamp with time zone,
	"read_at" timestamp with time zone,
	"failed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "outbound_messages_part" UNIQUE("message_id","part_index"),
	CONSTRAINT "outbound_messages_status" CHECK ("outbound_messages"."status" in ('pending', 'sending', 'sent', 'delivered', 'read', 'played', 'failed', 'refused')),
	CONSTRAINT "outbound_messages_kind" CHECK ("outbound_messages"."kind" in ('text', 'template', 'mark_read'))
);
--> statement-breakpoint
ALTER TABLE "outbound_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"seq" bigint GENERATED ALWAYS AS IDENTITY (sequence name "webhook_events_seq_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"platform" varchar(20) NOT NULL,
	"body_sha256" char(64) NOT NULL,
	"body" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"status" varchar(20) DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"locked_until" timestamp with time zone,
	"processed_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "webhook_events_body" UNIQUE("platform","body_sha256"),
	CONSTRAINT "webhook_events_status" CHECK ("webhook_events"."status" in ('pending', 'done', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "webhook_events" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "conversation_messages" ALTER COLUMN "client_id" SET DATA TYPE varchar(512);--> statement-breakpoint
ALTER TABLE "social_accounts" ADD COLUMN "graph_api" varchar(20) DEFAULT 'facebook' NOT NULL;--> statement-breakpoint
ALTER TABLE "channel_contacts" ADD CONSTRAINT "channel_contacts_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_contacts" ADD CONSTRAINT "channel_contacts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_contacts" ADD CONSTRAINT "channel_contacts_social_account_id_social_accounts_id_fk" FOREIGN KEY ("social_account_id") REFERENCES "public"."social_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "channel_settings" ADD CONSTRAINT "channel_settings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_message_id_conversation_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."conversation_messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_social_account_id_social_accounts_id_fk" FOREIGN KEY ("social_account_id") REFERENCES "public"."social_accounts"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_contacts_wa_id" ON "channel_contacts" USING btree ("tenant_id","platform","wa_id") WHERE "channel_contacts"."wa_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "channel_contacts_scoped_user" ON "channel_contacts" USING btree ("tenant_id","platform","scoped_user_id") WHERE "channel_contacts"."scoped_user_id" is not null;--> statement-breakpoint
CREATE INDEX "idx_outbound_due" ON "outbound_messages" USING btree ("next_attempt_at","id") WHERE "outbound_messages"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "idx_outbound_conversation_open" ON "outbound_messages" USING btree ("conversation_id","seq") WHERE "outbound_messages"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "idx_outbound_platform_id" ON "outbound_messages" USING btree ("tenant_id","platform_message_id");--> statement-breakpoint
CREATE INDEX "idx_outbound_message" ON "outbound_messages" USING btree ("message_id");--> statement-breakpoint
CREATE UNIQUE INDEX "outbound_messages_read_receipt" ON "outbound_messages" USING btree ("tenant_id","target_message_id") WHERE "outbound_messages"."kind" = 'mark_read';--> statement-breakpoint
CREATE INDEX "idx_webhook_events_pending" ON "webhook_events" USING btree ("id") WHERE "webhook_events"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "idx_webhook_events_received" ON "webhook_events" USING btree ("received_at");--> statement-breakpoint
ALTER TABLE "social_accounts" ADD CONSTRAINT "social_accounts_graph_api" CHECK ("social_accounts"."graph_api" in ('facebook', 'instagram'));--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "channel_contacts" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "channel_settings" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "outbound_messages" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());