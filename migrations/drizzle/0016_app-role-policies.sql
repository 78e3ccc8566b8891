CREATE POLICY "definer_access" ON "model_versions" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "topic_runs" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "topics_daily" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "unanswered_questions_daily" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "conversation_memories" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "intents" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "notifications" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "tenant_bot_settings" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "conversation_messages" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "conversations" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "escalations" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "meetings" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "documents" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "faq_entries" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "knowledge_changes" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "knowledge_chunks" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "knowledge_jobs" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "knowledge_revisions" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "knowledge_terms" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "website_pages" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "website_sources" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "lead_scores" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "leads" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "channel_contacts" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "channel_settings" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "outbound_messages" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "webhook_events" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "social_accounts" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "api_keys" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "tenant_business_profiles" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "tenant_widget_configs" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "tenants" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
CREATE POLICY "definer_access" ON "users" AS PERMISSIVE FOR ALL TO current_user USING (current_user <> session_user) WITH CHECK (current_user <> session_user);--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "model_versions" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "global_models_readable" ON "model_versions" TO public USING (tenant_id is null);--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "topic_runs" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "topics_daily" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "unanswered_questions_daily" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "conversation_memories" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "intents" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "notifications" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "tenant_bot_settings" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "conversation_messages" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "conversations" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "escalations" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "meetings" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "documents" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "faq_entries" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "knowledge_changes" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "knowledge_chunks" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "knowledge_jobs" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "knowledge_revisions" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "knowledge_terms" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "website_pages" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "website_sources" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "lead_scores" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "leads" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "channel_contacts" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "channel_settings" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "outbound_messages" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "social_accounts" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "api_keys" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "tenant_business_profiles" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "tenant_widget_configs" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "tenants" TO public USING (id = (select causette_current_tenant())) WITH CHECK (id = (select causette_current_tenant()));--> statement-breakpoint
ALTER POLICY "tenant_isolation" ON "users" TO public USING (tenant_id = (select causette_current_tenant())) WITH CHECK (tenant_id = (select causette_current_tenant()));