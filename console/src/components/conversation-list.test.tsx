// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type { InboxRow } from '../../../server/protocol/console-inbox.ts';
import { flush, renderConsole, session, TestSocket, USER_ID } from '../../testing/render-console.tsx';
import { fireEvent } from '../../testing/test-events.ts';

function rows(count: number, from = 0): InboxRow[] {
  return Array.from({ length: count }, (_, i) => {
    const n = from + i;
    const at = new Date(Date.parse('2026-03-01T12:00:00.000Z') - n * 60_000).toISOString();
    return {
      id: `cccccccc-0000-4000-8000-${String(n).padStart(12, '0')}`,
      channel: 'widget',
      status: 'open',
      contact: { name: `Client ${n}`, channelId: `v-${n}` },
      assignee: null,
      lastMessage: { role: 'user', text: `message ${n}`, at },
      lastActivityAt: at,
      lastSeq: 1,
      unread: n % 2,
      escalated: false,
      hotLead: false,
    };
  });
}

async function inbox(total: number) {
  const all = rows(total);
  const pages: string[] = [];
  const rendered = await renderConsole('/console/inbox/all', {
    'GET /auth/session': () => [200, session],
    'GET /inbox/teammates': () => [200, { items: [] }],
    'GET /inbox/conversations': ({ path }) => {
      const cursor = new URL(path, 'http://x').searchParams.get('cursor');
      pages.push(cursor ?? 'first');
      const start = cursor ? Number(cursor) : 0;
      const items = all.slice(start, start + 50);
      const next = start + 50 < all.length ? String(start + 50) : null;
      return [200, { items, nextCursor: next, seq: 1 }];
    },
  });
  const socket = TestSocket.all[0]!;
  socket.open();
  socket.receive({
    type: 'welcome',
    protocol: 1,
    seq: 1,
    resumed: false,
    userId: USER_ID,
    tenantId: session.currentTenantId,
  });
  await flush();
  return { ...rendered, pages, socket };
}

describe('the conversation list', () => {
  it('keeps only the rows in view in the DOM, and loads the next page as the end comes near', async () => {
    const { root, pages } = await inbox(5000);
    const scroller = root.querySelector<HTMLElement>('.scroller')!;
    expect(root.querySelectorAll('.scroller li').length).toBeLessThan(40);
    expect(pages).toEqual(['first']);
    // Scrolling to the end of the first page asks for the second, once.
    scroller.scrollTop = 45 * 84;
    fireEvent(scroller, 'scroll');
    await flush();
    expect(pages).toEqual(['first', '50']);
    expect(root.querySelectorAll('.scroller li').length).toBeLessThan(40);
    const shown = [...root.querySelectorAll('.scroller li')].map((li) =>
      Number(li.getAttribute('aria-posinset')),
    );
    expect(Math.min(...shown)).toBeGreaterThan(30);
  });

  it('j and k move the selection, Enter opens it, and the URL says which', async () => {
    const { root } = await inbox(20);
    const key = (k: string) => fireEvent(document.body, 'keydown', { key: k });
    key('j');
    await flush();
    key('j');
    await flush();
    key('k');
    await flush();
    expect(root.querySelector('.conv-link.selected')?.textContent).toContain('Client 0');
    key('j');
    await flush();
    expect(root.querySelector('.conv-link.selected')?.textContent).toContain('Client 1');
    key('Enter');
    await flush();
    expect(location.pathname).toBe('/console/inbox/all/cccccccc-0000-4000-8000-000000000001');
    expect(root.querySelector('.conv-link[aria-current="true"]')?.textContent).toContain('Client 1');
  });

  it('the tab title counts what waits for this operator: mine and waiting', async () => {
    const { socket } = await inbox(3);
    socket.receive({ type: 'unread', counts: { mine: 2, unassigned: 7, all: 9, waiting: 1 } });
    await flush();
    expect(document.title).toBe('(3) Causette');
    socket.receive({ type: 'unread', counts: { mine: 0, unassigned: 7, all: 7, waiting: 0 } });
    await flush();
    expect(document.title).toBe('Causette');
  });

  it('? opens the list of keyboard shortcuts', async () => {
    const { root } = await inbox(3);
    fireEvent(document.body, 'keydown', { key: '?' });
    await flush();
    const dialog = root.querySelector('dialog')!;
    expect(dialog.open).toBe(true);
    expect(dialog.textContent).toContain('Next / previous conversation');
  });
});
