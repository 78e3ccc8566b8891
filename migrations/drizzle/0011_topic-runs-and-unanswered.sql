CREATE TABLE "topic_runs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"date" date NOT NULL,
	"timezone" varchar(64) NOT NULL,
	"message_count" integer NOT NULL,
	"clustered_count" integer NOT NULL,
	"unanswered_count" integer NOT NULL,
	"method" varchar(255) NOT NULL,
	"computed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "topic_runs_tenant_date" UNIQUE("tenant_id","date")
);
--> statement-breakpoint
ALTER TABLE "topic_runs" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
CREATE TABLE "unanswered_questions_daily" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tenant_id" uuid NOT NULL,
	"date" date NOT NULL,
	"group_id" integer NOT NULL,
	"question" text NOT NULL,
	"keywords" text[],
	"message_count" integer NOT NULL,
	"sample_messages" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "unanswered_questions_daily_tenant_date_group" UNIQUE("tenant_id","date","group_id")
);
--> statement-breakpoint
ALTER TABLE "unanswered_questions_daily" ENABLE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "topic_runs" ADD CONSTRAINT "topic_runs_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "unanswered_questions_daily" ADD CONSTRAINT "unanswered_questions_daily_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "idx_unanswered_tenant_date" ON "unanswered_questions_daily" USING btree ("tenant_id","date" DESC NULLS LAST);--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "topic_runs" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "unanswered_questions_daily" AS PERMISSIVE FOR ALL TO "causette_app" USING (tenant_id = causette_current_tenant()) WITH CHECK (tenant_id = causette_current_tenant());