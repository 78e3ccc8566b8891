import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withTenant } from '../../db/tenant-scope.ts';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { createTenant } from '../tenants/tenant-store.ts';
import { DEFAULT_BOT_SETTINGS, getBotSettings, updateBotSettings } from './bot-settings-store.ts';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});

describe('bot settings', () => {
  it('are the same defaults whether the tenant has no row or a row the table filled in', async () => {
    const db = testDb.database.db;
    const tenantId = (await createTenant(db, { slug: 'defaults', name: 'Defaults' })).id;
    const before = await withTenant(db, tenantId, (tx) => getBotSettings(tx, tenantId));
    expect(before).toEqual(DEFAULT_BOT_SETTINGS);
    // An empty patch creates the row with the column defaults.
    const stored = await withTenant(db, tenantId, (tx) => updateBotSettings(tx, tenantId, {}));
    expect(stored).toEqual(DEFAULT_BOT_SETTINGS);
  });
});
