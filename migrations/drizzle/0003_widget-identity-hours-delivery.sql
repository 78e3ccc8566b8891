ALTER TABLE "conversations" ADD COLUMN "visitor_acked_seq" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_widget_configs" ADD COLUMN "show_business_hours" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_widget_configs" ADD COLUMN "identity_verification" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "tenant_widget_configs" ADD COLUMN "identity_secret" text;--> statement-breakpoint
ALTER TABLE "tenant_widget_configs" ADD CONSTRAINT "widget_identity_needs_secret" CHECK (not "tenant_widget_configs"."identity_verification" or "tenant_widget_configs"."identity_secret" is not null);