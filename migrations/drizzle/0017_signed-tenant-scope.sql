-- Tenant scopes are signed by the server (docs/decisions/0012-app-role-and-signed-tenant-scope.md).
-- The signing key lives in a schema the app role cannot look into; the migrating step writes it
-- at every start, from the server secret (db/app-role.ts).
CREATE SCHEMA IF NOT EXISTS causette_private;
--> statement-breakpoint
REVOKE ALL ON SCHEMA causette_private FROM PUBLIC;
--> statement-breakpoint
-- HMAC-SHA-256's two padded keys (the key XOR 0x36 and XOR 0x5c), so that a check is two hashes.
CREATE TABLE IF NOT EXISTS causette_private.tenant_scope_key (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  inner_pad bytea NOT NULL CHECK (octet_length(inner_pad) = 64),
  outer_pad bytea NOT NULL CHECK (octet_length(outer_pad) = 64)
);
--> statement-breakpoint
-- The tenant of the current transaction: the tenant id of `causette.tenant_scope`
-- ("<tenant id>.<HMAC-SHA-256 of it, hex>", set by withTenant()), once its signature checks out.
-- NULL outside a scope; an unsigned or forged scope is an error, so that a statement that set
-- another tenant's id reads nothing. SECURITY DEFINER to read the key, which no one else can.
CREATE OR REPLACE FUNCTION causette_current_tenant() RETURNS uuid
  LANGUAGE plpgsql STABLE PARALLEL SAFE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  claim text := current_setting('causette.tenant_scope', true);
  tenant text;
  pads record;
  mac text;
BEGIN
  IF claim IS NULL OR claim = '' THEN
    RETURN NULL;
  END IF;
  tenant := split_part(claim, '.', 1);
  SELECT k.inner_pad, k.outer_pad INTO pads FROM causette_private.tenant_scope_key k;
  IF FOUND THEN
    mac := encode(sha256(pads.outer_pad || sha256(pads.inner_pad || convert_to(tenant, 'UTF8'))), 'hex');
    -- Compared through one more hash: how long the comparison takes says nothing of the MAC.
    IF sha256(convert_to(mac, 'UTF8')) = sha256(convert_to(split_part(claim, '.', 2), 'UTF8')) THEN
      RETURN tenant::uuid;
    END IF;
  END IF;
  RAISE EXCEPTION 'the tenant scope is not signed by this server' USING ERRCODE = 'insufficient_privilege';
END
$$;
--> statement-breakpoint
-- Row level security applies to the owner too, outside its SECURITY DEFINER functions
-- (the definer_access policies).
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "channel_contacts" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "channel_settings" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "conversation_memories" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "conversation_messages" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "conversations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "documents" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "escalations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "faq_entries" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "intents" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "knowledge_changes" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "knowledge_chunks" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "knowledge_jobs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "knowledge_revisions" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "knowledge_terms" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "lead_scores" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "leads" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "meetings" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "model_versions" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "notifications" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "outbound_messages" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "social_accounts" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "tenant_bot_settings" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "tenant_business_profiles" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "tenant_widget_configs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "topic_runs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "topics_daily" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "unanswered_questions_daily" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "webhook_events" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "website_pages" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "website_sources" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
-- A statement run through the app's connection must not leave behind objects that a later
-- transaction of another tenant would run: no temporary tables or views for anyone but the owner,
-- and (Postgres 14 and older) no objects in the public schema. Where the migrating role may not
-- change this, it says so and the operator does it (docs/deploy.md).
DO $$
BEGIN
  EXECUTE format('REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO %I', current_database(), current_user);
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'could not revoke TEMPORARY on database % from PUBLIC: run it as its owner', current_database();
END
$$;
--> statement-breakpoint
DO $$
BEGIN
  REVOKE CREATE ON SCHEMA public FROM PUBLIC;
EXCEPTION WHEN insufficient_privilege THEN
  RAISE WARNING 'could not revoke CREATE on schema public from PUBLIC: run it as its owner';
END
$$;
