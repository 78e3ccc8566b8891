// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import type {
  CannedResponseList,
  ConsoleMessage,
  ConversationAnswer,
  ConversationContext,
  InboxRow,
  SendAnswer,
} from '../../../server/protocol/console-inbox.ts';
import { flush, renderConsole, session, TestSocket, USER_ID } from '../../testing/render-console.tsx';
import { fireEvent } from '../../testing/test-events.ts';

const ID = 'cccccccc-0000-4000-8000-000000000001';
const HOSTILE = '<img src=x onerror="window.hacked=1"><script>window.hacked=1</script>';

const row: InboxRow = {
  id: ID,
  channel: 'whatsapp',
  status: 'waiting',
  contact: { name: HOSTILE, channelId: '+33612345678' },
  assignee: null,
  lastMessage: { role: 'user', text: HOSTILE, at: '2026-03-01T10:00:00.000Z' },
  lastActivityAt: '2026-03-01T10:00:00.000Z',
  lastSeq: 2,
  unread: 1,
  escalated: true,
  hotLead: true,
};

const message = (seq: number, patch: Partial<ConsoleMessage>): ConsoleMessage => ({
  id: `dddddddd-0000-4000-8000-00000000000${seq}`,
  seq,
  role: 'user',
  text: 'Bonjour',
  createdAt: '2026-03-01T10:00:00.000Z',
  author: null,
  clientId: null,
  citations: [],
  bot: null,
  delivery: null,
  ...patch,
});

const answer: ConversationAnswer = {
  conversation: row,
  messages: [
    message(1, { text: `**${HOSTILE}** [x](javascript:alert(1))` }),
    message(2, {
      role: 'assistant',
      text: 'Livraison en 3 jours.',
      citations: [{ title: 'Livraison', url: 'javascript:alert(1)' }],
      bot: {
        intent: 'delivery',
        intentConfidence: 0.91,
        retrievalScore: 0.62,
        abstained: false,
        source: 'offline',
      },
    }),
  ],
  hasEarlier: false,
  escalation: {
    id: ID,
    reason: 'customer_request',
    summary: HOSTILE,
    createdAt: row.lastActivityAt,
    resolvedAt: null,
  },
  readSeq: 1,
  seq: 10,
};

const context: ConversationContext = {
  channel: 'whatsapp',
  contact: {
    name: HOSTILE,
    email: null,
    phone: '+33612345678',
    channelId: '+33612345678',
    externalId: null,
    verified: false,
  },
  account: null,
  visitor: { online: false, page: { url: 'javascript:alert(1)', title: HOSTILE } },
  language: 'fr',
  lead: {
    id: ID,
    name: HOSTILE,
    email: null,
    phone: null,
    temperature: 'hot',
    score: 82,
    status: 'new',
    signals: [{ label: HOSTILE, value: HOSTILE }],
    reasoning: HOSTILE,
  },
  past: [],
  window: {
    open: false,
    closesAt: null,
    template: { name: 'suivi_commande', language: 'fr' },
    humanAgentUntil: null,
  },
  seq: 10,
};

const canned: CannedResponseList = {
  items: [
    {
      id: 'eeeeeeee-0000-4000-8000-000000000001',
      shortcut: 'livraison',
      title: 'Délais',
      text: 'Bonjour {{name}}, {{agent}} de {{business}} : 3 jours.',
    },
  ],
};

async function openConversation() {
  const sent: unknown[] = [];
  const rendered = await renderConsole(`/console/inbox/waiting/${ID}`, {
    'GET /auth/session': () => [200, session],
    'GET /inbox/conversations': () => [200, { items: [row], nextCursor: null, seq: 10 }],
    [`GET /inbox/conversations/${ID}`]: () => [200, answer],
    [`GET /inbox/conversations/${ID}/context`]: () => [200, context],
    'GET /inbox/teammates': () => [200, { items: [{ id: USER_ID, name: 'Marie', role: 'owner' }] }],
    'GET /inbox/canned-responses': () => [200, canned],
    [`POST /inbox/conversations/${ID}/read`]: () => [200, { conversation: { ...row, unread: 0 }, seq: 11 }],
    [`POST /inbox/conversations/${ID}/messages`]: ({ body }) => {
      sent.push(body);
      const b = body as { kind: 'reply' | 'note'; text: string; clientId: string };
      const stored = message(3, {
        role: b.kind === 'note' ? 'note' : 'agent',
        text: b.text,
        author: { id: USER_ID, name: 'Marie' },
      });
      const reply: SendAnswer = {
        message: stored,
        duplicate: false,
        conversation: { ...row, lastSeq: 3 },
        seq: 12,
      };
      return [201, reply];
    },
  });
  const socket = TestSocket.all[0]!;
  socket.open();
  socket.receive({
    type: 'welcome',
    protocol: 1,
    seq: 10,
    resumed: false,
    userId: USER_ID,
    tenantId: session.currentTenantId,
  });
  await flush();
  return { ...rendered, sent, socket };
}

describe('the conversation view', () => {
  it('renders whatever a customer wrote as text: no element, no script, no javascript: link', async () => {
    const { root } = await openConversation();
    expect(root.textContent).toContain(HOSTILE);
    expect(root.querySelector('img, script, iframe')).toBeNull();
    expect((window as { hacked?: number }).hacked).toBeUndefined();
    for (const anchor of root.querySelectorAll('a'))
      expect(anchor.getAttribute('href')).not.toMatch(/^javascript:/i);
    // The bot's answer shows its intent, confidence and relevance; the escalation its reason.
    expect(root.textContent).toContain('Intent: delivery (confidence 0.91)');
    expect(root.textContent).toContain('relevance 0.62');
    expect(root.textContent).toContain('The customer asked for a person.');
    // The closed WhatsApp window is said, with the template replies will use.
    expect(root.textContent).toContain('Replies go out as the template “suivi_commande”.');
  });

  it('watches the conversation on the socket and marks it read', async () => {
    const { socket, calls } = await openConversation();
    expect(socket.sent[0]).toEqual({ type: 'hello', watch: ID });
    expect(calls.find((c) => c.path === `/inbox/conversations/${ID}/read`)?.body).toEqual({ seq: 2 });
    expect(calls.find((c) => c.path === `/inbox/conversations/${ID}/read`)?.headers['x-csrf-token']).toBe(
      'csrf-1',
    );
  });

  it('Enter sends, Shift+Enter does not; /shortcut inserts a canned response with its variables', async () => {
    const { root, sent } = await openConversation();
    const area = root.querySelector('textarea')!;
    fireEvent(area, 'focus');
    area.value = 'ligne une';
    fireEvent(area, 'input');
    expect(fireEvent(area, 'keydown', { key: 'Enter', shiftKey: true })).toBe(true);
    expect(sent).toEqual([]);
    area.value = '/liv';
    area.setSelectionRange(4, 4);
    fireEvent(area, 'input');
    await flush();
    expect(root.querySelector('[role="listbox"]')?.textContent).toContain('/livraison');
    fireEvent(area, 'keydown', { key: 'Enter' });
    await flush();
    expect(area.value).toBe(`Bonjour ${HOSTILE}, Marie de Ma Boutique : 3 jours.`);
    fireEvent(area, 'keydown', { key: 'Enter' });
    await flush();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      kind: 'reply',
      text: `Bonjour ${HOSTILE}, Marie de Ma Boutique : 3 jours.`,
    });
    expect(area.value).toBe('');
  });

  it('a note is sent as a note and shown as one', async () => {
    const { root, sent } = await openConversation();
    const noteButton = [...root.querySelectorAll('button')].find((b) => b.textContent === 'Note')!;
    fireEvent(noteButton, 'click');
    await flush();
    const area = root.querySelector('textarea')!;
    area.value = 'Client fidèle, geste commercial possible';
    fireEvent(area, 'input');
    fireEvent(area, 'keydown', { key: 'Enter' });
    await flush();
    expect(sent[0]).toMatchObject({ kind: 'note', text: 'Client fidèle, geste commercial possible' });
    expect(root.querySelector('.msg.note')?.textContent).toContain('Client fidèle');
  });

  it('shows who else is viewing and typing, and the customer typing', async () => {
    const { root, socket } = await openConversation();
    socket.receive({
      type: 'presence',
      conversationId: ID,
      viewers: [
        { id: USER_ID, name: 'Marie' },
        { id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'Paul' },
      ],
      typing: [{ id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'Paul', composing: 'reply' }],
      visitor: { online: true, typing: true, page: null },
    });
    await flush();
    const presence = root.querySelector('.presence')!.textContent;
    expect(presence).toContain('Paul also viewing');
    expect(presence).toContain('Paul is typing…');
    expect(presence).toContain('The customer is typing…');
    expect(presence).not.toContain('Marie also viewing');
  });
});
