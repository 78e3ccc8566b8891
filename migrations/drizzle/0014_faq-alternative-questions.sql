ALTER TABLE "faq_entries" ADD COLUMN "alternative_questions" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "questions" text;--> statement-breakpoint
-- The search vector now reads the other wordings of a question too; its index goes with it.
ALTER TABLE "knowledge_chunks" drop column "search_vector";--> statement-breakpoint
ALTER TABLE "knowledge_chunks" ADD COLUMN "search_vector" "tsvector" GENERATED ALWAYS AS (case lang when 'en' then setweight(to_tsvector('causette_en'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('causette_en'::regconfig, content || ' ' || coalesce(questions, '')), 'B') when 'fr' then setweight(to_tsvector('causette_fr'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('causette_fr'::regconfig, content || ' ' || coalesce(questions, '')), 'B') else setweight(to_tsvector('causette_simple'::regconfig, coalesce(title, '')), 'A') || setweight(to_tsvector('causette_simple'::regconfig, content || ' ' || coalesce(questions, '')), 'B') end) STORED;--> statement-breakpoint
CREATE INDEX "idx_chunks_search" ON "knowledge_chunks" USING gin ("search_vector");
