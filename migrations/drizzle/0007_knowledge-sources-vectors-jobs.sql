CREATE TABLE "knowledge_changes" (
	"tenant_id" uuid NOT NULL,
	"revision" bigint NOT NULL,
	"chunk_id" uuid NOT NULL,
	"change" char(1) NOT NULL,
	CONSTRAINT "knowledge_changes_tenant_id_revision_chunk_id_change_pk" PRIMARY KEY("tenant_id","revision","chunk_id","change")
);
--> statement-breakpoint
ALTER TABLE "knowledge_changes" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "knowledge_jobs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"kind" varchar(50) NOT NULL,
	"source_id" uuid,
	"status" varchar(50) DEFAULT 'queued' NOT NULL,
	"phase" varchar(50),
	"pages_found" integer DEFAULT 0 NOT NULL,
	"pages_crawled" integer DEFAULT 0 NOT NULL,
	"pages_failed" integer DEFAULT 0 NOT NULL,
	"pages_unchanged" integer DEFAULT 0 NOT NULL,
	"chunks_total" integer DEFAULT 0 NOT NULL,
	"chunks_indexed" integer DEFAULT 0 NOT NULL,
	"error" text,
	"heartbeat_at" timestamp with time zone DEFAULT now() NOT NULL,
	"started_at" timestamp with time zone,
	"finished_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "knowledge_jobs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "knowledge_revisions" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"revision" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "knowledge_revisions" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "content_hash" varchar(64);--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "processed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "embedding" vector(512);--> statement-breakpoint
ALTER TABLE "website_pages" ADD COLUMN "status" varchar(50) DEFAULT 'indexed' NOT NULL;--> statement-breakpoint
ALTER TABLE "website_pages" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "website_pages" ADD COLUMN "http_status" integer;--> statement-breakpoint
ALTER TABLE "website_pages" ADD COLUMN "content_hash" varchar(64);--> statement-breakpoint
ALTER TABLE "website_sources" ADD COLUMN "error" text;--> statement-breakpoint
ALTER TABLE "website_sources" ADD COLUMN "next_crawl_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "knowledge_changes" ADD CONSTRAINT "knowledge_changes_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_jobs" ADD CONSTRAINT "knowledge_jobs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "knowledge_revisions" ADD CONSTRAINT "knowledge_revisions_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_knowledge_jobs_tenant" ON "knowledge_jobs" USING btree ("tenant_id","created_at" DESC NULLS LAST);--> statement-breakpoint
CREATE INDEX "idx_knowledge_jobs_source" ON "knowledge_jobs" USING btree ("source_id");--> statement-breakpoint
CREATE INDEX "idx_chunks_embedding" ON "knowledge_chunks" USING hnsw ("embedding" vector_cosine_ops);--> statement-breakpoint
CREATE INDEX "idx_website_sources_next_crawl" ON "website_sources" USING btree ("next_crawl_at");--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "knowledge_changes" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "knowledge_jobs" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "knowledge_revisions" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());