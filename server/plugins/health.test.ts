import Fastify from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../db/testing/test-database.ts';
import { healthPlugin } from './health.ts';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(async () => {
  await testDb.destroy();
});

it('is alive and ready while the database answers, and not ready once it is gone', async () => {
  const app = Fastify();
  await app.register(healthPlugin, { database: testDb.database });
  expect((await app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
  const ready = await app.inject({ url: '/readyz' });
  expect(ready.statusCode).toBe(200);
  expect(ready.json()).toEqual({ status: 'ready', database: testDb.database.driver });

  const broken = {
    ...testDb.database,
    db: { execute: () => Promise.reject(new Error('connection refused')) },
  };
  const unready = Fastify();
  await unready.register(healthPlugin, { database: broken as never });
  const response = await unready.inject({ url: '/readyz' });
  expect(response.statusCode).toBe(503);
  expect(response.json()).toMatchObject({ status: 'database_unavailable' });
  await app.close();
  await unready.close();
});
