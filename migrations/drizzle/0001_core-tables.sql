CREATE TABLE "model_versions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid,
	"model_name" varchar(255) NOT NULL,
	"base_model" varchar(255) NOT NULL,
	"training_dataset_id" varchar(255),
	"version" varchar(50) NOT NULL,
	"status" varchar(50) DEFAULT 'training' NOT NULL,
	"metrics" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"is_active" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "model_versions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "topics_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"date" date NOT NULL,
	"topic_id" integer NOT NULL,
	"topic_label" varchar(255),
	"keywords" text[],
	"message_count" integer DEFAULT 0 NOT NULL,
	"percentage" numeric(5, 2),
	"sample_messages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "topics_daily_tenant_date_topic" UNIQUE("tenant_id","date","topic_id")
);
--> statement-breakpoint
ALTER TABLE "topics_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "conversation_messages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"conversation_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"seq" integer NOT NULL,
	"role" varchar(20) NOT NULL,
	"content" text NOT NULL,
	"client_id" varchar(64),
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversation_messages_seq" UNIQUE("conversation_id","seq"),
	CONSTRAINT "conversation_messages_client_id" UNIQUE("conversation_id","client_id")
);
--> statement-breakpoint
ALTER TABLE "conversation_messages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "conversations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" varchar(255) NOT NULL,
	"channel" varchar(50) NOT NULL,
	"status" varchar(50) DEFAULT 'open' NOT NULL,
	"last_message_at" timestamp with time zone DEFAULT now(),
	"last_seq" integer DEFAULT 0 NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "conversations_tenant_user_channel" UNIQUE("tenant_id","user_id","channel")
);
--> statement-breakpoint
ALTER TABLE "conversations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "escalations" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"conversation_id" uuid NOT NULL,
	"reason" varchar(255) NOT NULL,
	"summary" text,
	"status" varchar(50) DEFAULT 'pending' NOT NULL,
	"assigned_to" varchar(255),
	"resolved_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "escalations" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "meetings" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"conversation_id" uuid,
	"user_id" varchar(255) NOT NULL,
	"meeting_url" varchar(500),
	"scheduled_at" timestamp with time zone,
	"duration_minutes" integer DEFAULT 30,
	"status" varchar(50) DEFAULT 'scheduled' NOT NULL,
	"cal_event_id" varchar(255),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "meetings" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "documents" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"filename" varchar(500) NOT NULL,
	"file_path" varchar(1000) NOT NULL,
	"file_size" integer,
	"mime_type" varchar(100),
	"status" varchar(50) DEFAULT 'pending' NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "documents" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "faq_entries" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"question" text NOT NULL,
	"answer" text NOT NULL,
	"lang" varchar(8) DEFAULT 'fr' NOT NULL,
	"group_key" varchar(100),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "faq_entries" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "knowledge_chunks" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"source_type" varchar(50) NOT NULL,
	"source_id" uuid,
	"title" text,
	"content" text NOT NULL,
	"lang" varchar(8),
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"embedding_model" varchar(100) DEFAULT 'text-embedding-3-small',
	"indexed_in_qdrant" boolean DEFAULT false,
	"search_vector" "tsvector" GENERATED ALWAYS AS (case lang when 'en' then setweight(to_tsvector('causette_en'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('causette_en'::regconfig, content), 'B') when 'fr' then setweight(to_tsvector('causette_fr'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('causette_fr'::regconfig, content), 'B') else setweight(to_tsvector('causette_simple'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('causette_simple'::regconfig, content), 'B') end) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "knowledge_terms" (
	"tenant_id" uuid NOT NULL,
	"term" varchar(64) NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "knowledge_terms_tenant_id_term_pk" PRIMARY KEY("tenant_id","term")
);
--> statement-breakpoint
ALTER TABLE "knowledge_terms" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "website_pages" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"website_source_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"url" varchar(1000) NOT NULL,
	"title" varchar(500),
	"content" text,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"chunk_count" integer DEFAULT 0 NOT NULL,
	"crawled_at" timestamp with time zone DEFAULT now(),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "website_pages_source_url" UNIQUE("website_source_id","url")
);
--> statement-breakpoint
ALTER TABLE "website_pages" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "website_sources" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"base_url" varchar(500) NOT NULL,
	"max_pages" integer DEFAULT 50 NOT NULL,
	"crawl_frequency" varchar(50) DEFAULT 'manual' NOT NULL,
	"last_crawled_at" timestamp with time zone,
	"status" varchar(50) DEFAULT 'pending' NOT NULL,
	"pages_crawled" integer DEFAULT 0 NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "website_sources_tenant_url" UNIQUE("tenant_id","base_url")
);
--> statement-breakpoint
ALTER TABLE "website_sources" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "lead_scores" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"lead_id" uuid NOT NULL,
	"tenant_id" uuid NOT NULL,
	"score" varchar(20) NOT NULL,
	"score_value" integer NOT NULL,
	"signals" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reasoning" text,
	"scored_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "lead_scores_score" CHECK ("lead_scores"."score" in ('hot', 'warm', 'cold'))
);
--> statement-breakpoint
ALTER TABLE "lead_scores" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "leads" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"conversation_id" uuid,
	"name" varchar(255),
	"email" varchar(255),
	"phone" varchar(50),
	"company" varchar(255),
	"score" varchar(20),
	"status" varchar(50) DEFAULT 'new' NOT NULL,
	"notes" text,
	"search_vector" "tsvector" GENERATED ALWAYS AS (to_tsvector('causette_simple'::regconfig, coalesce(name, '') || ' ' || coalesce(email, '') || ' ' || coalesce(company, ''))) STORED,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "leads_score" CHECK ("leads"."score" in ('hot', 'warm', 'cold'))
);
--> statement-breakpoint
ALTER TABLE "leads" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "social_accounts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"platform" varchar(50) NOT NULL,
	"account_id" varchar(255) NOT NULL,
	"account_username" varchar(255),
	"access_token" text,
	"token_expires_at" timestamp with time zone,
	"webhook_verify_token" varchar(255),
	"is_active" boolean DEFAULT true,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "social_accounts_platform_account" UNIQUE("platform","account_id")
);
--> statement-breakpoint
ALTER TABLE "social_accounts" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"user_id" uuid,
	"name" varchar(100) NOT NULL,
	"key_prefix" varchar(16) NOT NULL,
	"key_hash" char(64) NOT NULL,
	"active" boolean DEFAULT true NOT NULL,
	"last_used_at" timestamp with time zone,
	"expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "api_keys_keyHash_unique" UNIQUE("key_hash")
);
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenant_business_profiles" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"description" text,
	"language" varchar(5) DEFAULT 'fr' NOT NULL,
	"tone" text,
	"timezone" varchar(64) DEFAULT 'Europe/Paris' NOT NULL,
	"opening_hours" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"support_hours" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"address" text,
	"phone" varchar(50),
	"email" varchar(255),
	"escalation_email" varchar(255),
	"calcom_url" varchar(500),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "tenant_business_profiles" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenant_widget_configs" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"primary_color" varchar(7) DEFAULT '#4f46e5' NOT NULL,
	"text_color" varchar(7) DEFAULT '#ffffff' NOT NULL,
	"position" varchar(10) DEFAULT 'right' NOT NULL,
	"greeting" text,
	"launcher_label" varchar(60),
	"language" varchar(5) DEFAULT 'auto' NOT NULL,
	"allowed_origins" text[] DEFAULT '{}'::text[] NOT NULL,
	"avatar_url" varchar(500),
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "widget_position" CHECK ("tenant_widget_configs"."position" in ('right', 'left')),
	CONSTRAINT "widget_language" CHECK ("tenant_widget_configs"."language" in ('auto', 'fr', 'en')),
	CONSTRAINT "widget_colors" CHECK ("tenant_widget_configs"."primary_color" ~ '^#[0-9a-fA-F]{6}$' and "tenant_widget_configs"."text_color" ~ '^#[0-9a-fA-F]{6}$')
);
--> statement-breakpoint
ALTER TABLE "tenant_widget_configs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "tenants" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" varchar(255) NOT NULL,
	"slug" varchar(100) NOT NULL,
	"website_url" varchar(500),
	"contact_email" varchar(255),
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tenants_slug_unique" UNIQUE("slug"),
	CONSTRAINT "tenants_slug_format" CHECK ("tenants"."slug" ~ '^[a-z0-9]([a-z0-9-]{0,98}[a-z0-9])?$')
);
--> statement-breakpoint
ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"email" varchar(255) NOT NULL,
	"name" varchar(255),
	"password_hash" text,
	"role" varchar(20) DEFAULT 'agent' NOT NULL,
	"last_login_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_tenant_email" UNIQUE("tenant_id","email"),
	CONSTRAINT "users_role" CHECK ("users"."role" in ('owner', 'admin', 'agent', 'viewer'))
);
--> statement-breakpoint
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "model_versions" ADD CONSTRAINT "model_versions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "topics_daily" ADD CONSTRAINT "topics_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversation_messages" ADD CONSTRAINT "conversation_messages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "conversations" ADD CONSTRAINT "conversations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meetings" ADD CONSTRAINT "meetings_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "faq_entries" ADD CONSTRAINT "faq_entries_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD CONSTRAINT "knowledge_chunks_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_terms" ADD CONSTRAINT "knowledge_terms_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "website_pages" ADD CONSTRAINT "website_pages_website_source_id_website_sources_id_fk" FOREIGN KEY ("website_source_id") REFERENCES "public"."website_sources"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "website_pages" ADD CONSTRAINT "website_pages_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "website_sources" ADD CONSTRAINT "website_sources_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_scores" ADD CONSTRAINT "lead_scores_lead_id_leads_id_fk" FOREIGN KEY ("lead_id") REFERENCES "public"."leads"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "lead_scores" ADD CONSTRAINT "lead_scores_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "leads" ADD CONSTRAINT "leads_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "social_accounts" ADD CONSTRAINT "social_accounts_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "api_keys" ADD CONSTRAINT "api_keys_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_business_profiles" ADD CONSTRAINT "tenant_business_profiles_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tenant_widget_configs" ADD CONSTRAINT "tenant_widget_configs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_model_versions_tenant" ON "model_versions" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_model_versions_active" ON "model_versions" USING btree ("is_active");--> statement-breakpoint
CREATE INDEX "idx_topics_tenant_date" ON "topics_daily" USING btree ("tenant_id","date" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_messages_conversation" ON "conversation_messages" USING btree ("conversation_id","created_at");--> statement-breakpoint
CREATE INDEX "idx_messages_created" ON "conversation_messages" USING btree ("created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_messages_tenant" ON "conversation_messages" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_conversations_tenant" ON "conversations" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_conversations_status" ON "conversations" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_conversations_last_message" ON "conversations" USING btree ("last_message_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_escalations_tenant" ON "escalations" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_escalations_conversation" ON "escalations" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "idx_escalations_status" ON "escalations" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_meetings_tenant" ON "meetings" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_meetings_conversation" ON "meetings" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "idx_documents_tenant" ON "documents" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_documents_status" ON "documents" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_faq_entries_tenant" ON "faq_entries" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_chunks_tenant" ON "knowledge_chunks" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_chunks_source" ON "knowledge_chunks" USING btree ("source_type","source_id");--> statement-breakpoint
CREATE INDEX "idx_chunks_qdrant" ON "knowledge_chunks" USING btree ("indexed_in_qdrant");--> statement-breakpoint
CREATE INDEX "idx_chunks_search" ON "knowledge_chunks" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "idx_knowledge_terms_trgm" ON "knowledge_terms" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "idx_website_pages_source" ON "website_pages" USING btree ("website_source_id");--> statement-breakpoint
CREATE INDEX "idx_website_pages_tenant" ON "website_pages" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_website_sources_tenant" ON "website_sources" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_website_sources_status" ON "website_sources" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_lead_scores_lead" ON "lead_scores" USING btree ("lead_id","scored_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_leads_tenant" ON "leads" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_leads_score" ON "leads" USING btree ("score");--> statement-breakpoint
CREATE INDEX "idx_leads_status" ON "leads" USING btree ("status");--> statement-breakpoint
CREATE INDEX "idx_leads_search" ON "leads" USING gin ("search_vector");--> statement-breakpoint
CREATE INDEX "idx_leads_email" ON "leads" USING btree ("email") WHERE "leads"."email" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "leads_conversation" ON "leads" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "idx_social_accounts_tenant" ON "social_accounts" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_social_accounts_platform" ON "social_accounts" USING btree ("platform","account_id");--> statement-breakpoint
CREATE INDEX "idx_api_keys_tenant" ON "api_keys" USING btree ("tenant_id");--> statement-breakpoint
CREATE INDEX "idx_tenants_slug" ON "tenants" USING btree ("slug");--> statement-breakpoint
CREATE INDEX "idx_users_tenant" ON "users" USING btree ("tenant_id");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "model_versions" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "global_models_readable" ON "model_versions" AS PERMISSIVE FOR SELECT TO "causette_app" USING (tenant_id is null);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "topics_daily" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "conversation_messages" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "conversations" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "escalations" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "meetings" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "documents" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "faq_entries" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "knowledge_chunks" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "knowledge_terms" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "website_pages" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "website_sources" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "lead_scores" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "leads" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "social_accounts" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "api_keys" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tenant_business_profiles" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tenant_widget_configs" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "tenants" AS PERMISSIVE FOR ALL TO "causette_app" USING (id = causette_current_tenant()) WITH CHECK (id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "users" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());