import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queryRows } from '../db/database.ts';
import { withTenant } from '../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../db/testing/test-database.ts';
import { leads, tenants } from './schema/index.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});

// Columns, unique constraints and indexes of the seed schema documents (004 and 003).
const seedColumns: Record<string, string[]> = {
  tenants: ['id', 'name', 'slug', 'website_url', 'contact_email', 'settings', 'created_at', 'updated_at'],
  social_accounts: [
    'id',
    'tenant_id',
    'platform',
    'account_id',
    'account_username',
    'access_token',
    'token_expires_at',
    'webhook_verify_token',
    'is_active',
    'created_at',
    'updated_at',
  ],
  conversations: [
    'id',
    'tenant_id',
    'user_id',
    'channel',
    'status',
    'last_message_at',
    'metadata',
    'created_at',
    'updated_at',
  ],
  conversation_messages: ['id', 'conversation_id', 'role', 'content', 'metadata', 'created_at'],
  documents: [
    'id',
    'tenant_id',
    'filename',
    'file_path',
    'file_size',
    'mime_type',
    'status',
    'chunk_count',
    'metadata',
    'created_at',
    'updated_at',
  ],
  website_sources: [
    'id',
    'tenant_id',
    'base_url',
    'max_pages',
    'crawl_frequency',
    'last_crawled_at',
    'status',
    'pages_crawled',
    'metadata',
    'created_at',
    'updated_at',
  ],
  website_pages: [
    'id',
    'website_source_id',
    'tenant_id',
    'url',
    'title',
    'content',
    'metadata',
    'chunk_count',
    'crawled_at',
    'created_at',
  ],
  knowledge_chunks: [
    'id',
    'tenant_id',
    'source_type',
    'source_id',
    'content',
    'metadata',
    'embedding_model',
    'indexed_in_qdrant',
    'created_at',
  ],
  escalations: [
    'id',
    'tenant_id',
    'conversation_id',
    'reason',
    'summary',
    'status',
    'assigned_to',
    'resolved_at',
    'created_at',
    'updated_at',
  ],
  topics_daily: [
    'id',
    'tenant_id',
    'date',
    'topic_id',
    'topic_label',
    'keywords',
    'message_count',
    'percentage',
    'sample_messages',
    'created_at',
  ],
  meetings: [
    'id',
    'tenant_id',
    'conversation_id',
    'user_id',
    'meeting_url',
    'scheduled_at',
    'duration_minutes',
    'status',
    'cal_event_id',
    'created_at',
    'updated_at',
  ],
  model_versions: [
    'id',
    'tenant_id',
    'model_name',
    'base_model',
    'training_dataset_id',
    'version',
    'status',
    'metrics',
    'is_active',
    'created_at',
    'updated_at',
  ],
  leads: [
    'id',
    'tenant_id',
    'conversation_id',
    'name',
    'email',
    'phone',
    'company',
    'score',
    'status',
    'notes',
    'search_vector',
    'created_at',
    'updated_at',
  ],
  lead_scores: ['id', 'lead_id', 'score', 'score_value', 'signals', 'reasoning', 'scored_at'],
  users: ['id', 'tenant_id', 'email', 'role', 'created_at', 'updated_at'],
  api_keys: ['id', 'tenant_id', 'name', 'key_hash', 'expires_at', 'created_at'],
  tenant_widget_configs: [
    'tenant_id',
    'primary_color',
    'position',
    'greeting',
    'language',
    'allowed_origins',
  ],
  tenant_business_profiles: [
    'tenant_id',
    'opening_hours',
    'support_hours',
    'address',
    'phone',
    'email',
    'escalation_email',
    'calcom_url',
  ],
};

const seedUniques: [string, string[]][] = [
  ['tenants', ['slug']],
  ['social_accounts', ['platform', 'account_id']],
  ['conversations', ['tenant_id', 'user_id', 'channel']],
  ['website_sources', ['tenant_id', 'base_url']],
  ['website_pages', ['website_source_id', 'url']],
  ['topics_daily', ['tenant_id', 'date', 'topic_id']],
  ['api_keys', ['key_hash']],
];

const seedIndexes = [
  'idx_tenants_slug',
  'idx_social_accounts_tenant',
  'idx_social_accounts_platform',
  'idx_conversations_tenant',
  'idx_conversations_status',
  'idx_conversations_last_message',
  'idx_messages_conversation',
  'idx_messages_created',
  'idx_documents_tenant',
  'idx_documents_status',
  'idx_website_sources_tenant',
  'idx_website_sources_status',
  'idx_website_pages_source',
  'idx_website_pages_tenant',
  'idx_chunks_tenant',
  'idx_chunks_source',
  'idx_chunks_qdrant',
  'idx_escalations_tenant',
  'idx_escalations_conversation',
  'idx_escalations_status',
  'idx_topics_tenant_date',
  'idx_meetings_tenant',
  'idx_meetings_conversation',
  'idx_model_versions_tenant',
  'idx_model_versions_active',
  'idx_leads_tenant',
  'idx_leads_score',
  'idx_leads_status',
  'idx_leads_search',
  'idx_leads_email',
];

describe('the schema of the seed documents', () => {
  it('has every table with its columns', async () => {
    const rows = await queryRows<{ table_name: string; column_name: string }>(
      testDb.database.db,
      sql`select table_name, column_name from information_schema.columns where table_schema = 'public'`,
    );
    for (const [table, columns] of Object.entries(seedColumns)) {
      const present = rows.filter((r) => r.table_name === table).map((r) => r.column_name);
      expect({ table, missing: columns.filter((c) => !present.includes(c)) }).toEqual({ table, missing: [] });
    }
  });

  it('has the uniqueness constraints', async () => {
    const rows = await queryRows<{ table: string; columns: string }>(
      testDb.database.db,
      sql`select c.conrelid::regclass::text as table,
                 string_agg(a.attname, ',' order by array_position(c.conkey, a.attnum)) as columns
          from pg_constraint c join pg_attribute a on a.attrelid = c.conrelid and a.attnum = any(c.conkey)
          where c.contype = 'u' group by c.oid, c.conrelid`,
    );
    for (const [table, columns] of seedUniques) {
      expect(rows).toContainEqual({ table, columns: columns.join(',') });
    }
  });

  it('has the indexes', async () => {
    const rows = await queryRows<{ indexname: string }>(
      testDb.database.db,
      sql`select indexname from pg_indexes where schemaname = 'public'`,
    );
    const names = rows.map((r) => r.indexname);
    expect(seedIndexes.filter((index) => !names.includes(index))).toEqual([]);
  });

  it('uses UUID keys the database generates', async () => {
    const rows = await queryRows<{ table_name: string; data_type: string; column_default: string | null }>(
      testDb.database.db,
      sql`select table_name, data_type, column_default from information_schema.columns
          where table_schema = 'public' and column_name = 'id'`,
    );
    expect(rows.length).toBeGreaterThan(15);
    for (const row of rows) {
      expect({
        table: row.table_name,
        type: row.data_type,
        generated: row.column_default?.includes('gen_random_uuid'),
      }).toEqual({ table: row.table_name, type: 'uuid', generated: true });
    }
  });
});

describe('what the database maintains', () => {
  const id = '44444444-4444-4444-8444-444444444444';
  beforeEach(async () => {
    await testDb.reset();
    await withTenant(testDb.database.db, id, (tx) =>
      tx.insert(tenants).values({ id, slug: 'clock', name: 'Before' }),
    );
  });

  it('keeps updated_at current on every update', async () => {
    const db = testDb.database.db;
    const [created] = await withTenant(db, id, (tx) => tx.select().from(tenants));
    const [updated] = await withTenant(db, id, async (tx) => {
      // A transaction's now() is its start time, so this update happens visibly later.
      await tx.execute(sql`select pg_sleep(0.01)`);
      return tx.update(tenants).set({ name: 'After' }).where(eq(tenants.id, id)).returning();
    });
    expect(updated!.updatedAt.getTime()).toBeGreaterThan(created!.updatedAt.getTime());
    expect(updated!.createdAt.getTime()).toBe(created!.createdAt.getTime());
  });

  it("generates the leads' full-text search vector", async () => {
    const rows = await withTenant(testDb.database.db, id, async (tx) => {
      await tx
        .insert(leads)
        .values({ tenantId: id, name: 'Hélène Dupré', email: 'helene@atelier.fr', company: 'Atelier Soie' });
      return queryRows<{ name: string }>(
        tx,
        sql`select name from leads where search_vector @@ to_tsquery('causette_simple', 'helene & soie')`,
      );
    });
    expect(rows).toEqual([{ name: 'Hélène Dupré' }]);
  });

  it('refuses a lead score outside hot, warm and cold', async () => {
    const error = await withTenant(testDb.database.db, id, (tx) =>
      tx.insert(leads).values({ tenantId: id, score: 'boiling' }),
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(String((error as Error).cause ?? error)).toMatch(/leads_score/);
  });
});
