import type { Page } from 'playwright-core';
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

/** Rows of the demo tenant's conversation messages, straight from the database. */
export async function storedMessages(
  demo: DemoServer,
): Promise<{ seq: number; role: string; content: string }[]> {
  const { database } = demo.server;
  const rows =
    database.driver === 'pglite'
      ? (
          await database.client.query<{ seq: number; role: string; content: string }>(
            `select m.seq, m.role, m.content from conversation_messages m join tenants t on t.id = m.tenant_id
             where t.slug = $1 order by m.created_at, m.seq`,
            [DEMO_SLUG],
          )
        ).rows
      : await database.client<{ seq: number; role: string; content: string }[]>`
          select m.seq, m.role, m.content from conversation_messages m join tenants t on t.id = m.tenant_id
          where t.slug = ${DEMO_SLUG} order by m.created_at, m.seq`;
  return rows;
}
