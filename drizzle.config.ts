import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './migrations/schema/index.ts',
  out: './migrations/drizzle',
  casing: 'snake_case',
  entities: { roles: { provider: '' } },
});
