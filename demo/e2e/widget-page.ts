import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { findTenantIdBySlug } from '../../bot/tenants/tenant-store.ts';
import { queryRows } from '../../db/database.ts';
import { withTenant } from '../../db/tenant-scope.ts';
import { DEMO_SLUG } from '../seed-demo.ts';
import type { DemoServer } from './demo-server.ts';

/** Shortcuts to the widget on a page, by role and accessible name as a visitor's tools see it. */
export function widget(page: Page, lang: 'fr' | 'en' = 'fr') {
  const t =
    lang === 'fr'
      ? { open: 'Ouvrir le chat', close: 'Fermer le chat', input: 'Votre message' }
      : { open: 'Open chat', close: 'Close chat', input: 'Your message' };
  const dialog = page.getByRole('dialog');
  return {
    launcher: page.getByRole('button', { name: t.open }),
    closeButton: dialog.getByRole('button', { name: t.close }),
    dialog,
    input: page.getByRole('textbox', { name: t.input }),
    log: page.getByRole('log'),
    async ask(text: string) {
      await this.input.fill(text);
      await this.input.press('Enter');
    },
    /** The texts of the log's messages, in order (the visually hidden "Vous :" prefixes included). */
    async texts(): Promise<string[]> {
      return page.getByRole('log').locator('li.m').allInnerTexts();
    },
  };
}

/** Rows of the demo tenant's conversation messages, straight from the database (its scope). */
export async function storedMessages(
  demo: DemoServer,
): Promise<{ seq: number; role: string; content: string }[]> {
  const { db } = demo.server.database;
  const tenantId = await findTenantIdBySlug(db, DEMO_SLUG);
  if (!tenantId) return [];
  return withTenant(db, tenantId, (tx) =>
    queryRows<{ seq: number; role: string; content: string }>(
      tx,
      sql`select seq, role, content from conversation_messages order by created_at, seq`,
    ),
  );
}
