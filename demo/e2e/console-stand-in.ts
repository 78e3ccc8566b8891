import websocket from '@fastify/websocket';
import Fastify from 'fastify';
import { ReferenceInbox } from '../../console/testing/reference-inbox.ts';
import { defaultConsoleDir } from '../../server/main.ts';
import { consoleAppPlugin } from '../../server/plugins/console-app.ts';
import type { Session } from '../../server/protocol/console.ts';
import type { ConsoleServerFrame } from '../../server/protocol/console-events.ts';
import type { ConversationContext, InboxView, ListQuery } from '../../server/protocol/console-inbox.ts';

export const ME = { id: 'aaaaaaaa-0000-4000-8000-000000000001', name: 'Marie' };
export const PAUL = { id: 'aaaaaaaa-0000-4000-8000-000000000002', name: 'Paul' };
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>Zoé';

/**
 * A stand-in for the inbox's server side, written from docs/console-api.md, serving the built
 * console: the real server's inbox routes and events socket are not written yet. It lets the
 * browser tests check what belongs to the console alone (accessibility, CSP, layout, keyboard);
 * the tests of the whole path run against the real server.
 */
export async function startConsoleStandIn() {
  const inbox = new ReferenceInbox(ME.id);
  const session: Session = {
    user: { id: ME.id, email: 'marie@ma-boutique.test', name: ME.name },
    tenants: [
      { id: 'bbbbbbbb-0000-4000-8000-000000000001', slug: 'ma-boutique', name: 'Ma Boutique', role: 'owner' },
      { id: 'bbbbbbbb-0000-4000-8000-000000000002', slug: 'atelier', name: 'L’Atelier', role: 'agent' },
    ],
    currentTenantId: 'bbbbbbbb-0000-4000-8000-000000000001',
    csrfToken: 'stand-in-csrf',
  };
  const names = ['Léa Martin', HOSTILE_NAME, 'Hugo', null, 'Camille Durand', 'Inès', null, 'Jules'];
  for (let i = 0; i < 40; i++) {
    const row = inbox.create({
      channel: i % 3 === 1 ? 'whatsapp' : i % 5 === 2 ? 'instagram' : 'widget',
      contact: {
        name: names[i % names.length] ?? null,
        channelId: i % 3 === 1 ? `+3361234${String(i).padStart(4, '0')}` : `v-${i}`,
      },
    });
    inbox.message(
      row.id,
      'user',
      i === 1 ? '<script>alert(1)</script> Je veux parler à quelqu’un' : 'Bonjour, où en est ma commande ?',
    );
    inbox.message(
      row.id,
      'assistant',
      'Votre commande part sous 24 h. **Suivi** : https://ma-boutique.test/suivi',
    );
    if (i % 4 === 1) inbox.change(row.id, { status: 'waiting', escalated: true });
    if (i % 6 === 0) inbox.change(row.id, { status: 'human', assignee: i % 12 === 0 ? ME : PAUL });
    if (i % 7 === 3) inbox.change(row.id, { hotLead: true });
  }
  const sockets = new Set<{ send: (data: string) => void }>();
  const counts = () => {
    const count = (view: InboxView) =>
      inbox.list({ view, limit: 10_000 }).items.filter((row) => row.unread > 0).length;
    return {
      mine: count('mine'),
      unassigned: count('unassigned'),
      all: count('all'),
      waiting: count('waiting'),
    };
  };
  const broadcast = (from: number) => {
    for (const socket of sockets) {
      for (const event of inbox.eventsAfter(from)) socket.send(JSON.stringify(event));
      socket.send(JSON.stringify({ type: 'unread', counts: counts() } satisfies ConsoleServerFrame));
    }
  };
  const act = (id: string, change: () => void) => {
    const from = inbox.seq;
    change();
    broadcast(from);
    return { conversation: inbox.rows.get(id)!, seq: inbox.seq };
  };

  const app = Fastify();
  await app.register(websocket);
  await app.register(consoleAppPlugin, { dir: defaultConsoleDir });
  app.get('/api/v1/auth/session', async () => session);
  const reads = { lists: 0 };
  app.get('/api/v1/inbox/conversations', async (request) => {
    reads.lists++;
    const query = request.query as Record<string, string>;
    return inbox.list({ ...query, limit: Number(query['limit'] ?? 50) } as ListQuery);
  });
  app.get<{ Params: { id: string } }>('/api/v1/inbox/conversations/:id', async (request) => {
    const answer = inbox.conversation(request.params.id, {});
    return {
      ...answer,
      escalation: answer.conversation.escalated
        ? {
            id: request.params.id,
            reason: 'customer_request',
            summary: 'Le client veut parler à une personne.',
            createdAt: answer.conversation.lastActivityAt,
            resolvedAt: null,
          }
        : null,
    };
  });
  app.get<{ Params: { id: string } }>('/api/v1/inbox/conversations/:id/context', async (request) => {
    const row = inbox.rows.get(request.params.id)!;
    const context: ConversationContext = {
      channel: row.channel,
      contact: {
        name: row.contact.name,
        email: null,
        phone: null,
        channelId: row.contact.channelId,
        externalId: null,
        verified: false,
      },
      account: null,
      visitor: { online: true, page: { url: 'https://ma-boutique.test/commande', title: 'Ma commande' } },
      language: 'fr',
      lead: row.hotLead
        ? {
            id: row.id,
            name: row.contact.name,
            email: null,
            phone: null,
            temperature: 'hot',
            score: 84,
            status: 'new',
            signals: [{ label: 'Budget', value: '500 €' }],
            reasoning: 'Demande un devis.',
          }
        : null,
      past: [],
      window:
        row.channel === 'whatsapp'
          ? { open: false, closesAt: null, template: null, humanAgentUntil: null }
          : null,
      seq: inbox.seq,
    };
    return context;
  });
  app.get('/api/v1/inbox/teammates', async () => ({
    items: [
      { ...ME, role: 'owner' },
      { ...PAUL, role: 'agent' },
    ],
  }));
  app.get('/api/v1/inbox/canned-responses', async () => ({
    items: [
      {
        id: 'eeeeeeee-0000-4000-8000-000000000001',
        shortcut: 'merci',
        title: 'Merci',
        text: 'Merci {{name}} !',
      },
    ],
  }));
  app.post<{ Params: { id: string }; Body: { kind: 'reply' | 'note'; text: string } }>(
    '/api/v1/inbox/conversations/:id/messages',
    async (request, reply) => {
      const { id } = request.params;
      let message!: ReturnType<ReferenceInbox['message']>;
      const answer = act(id, () => {
        message = inbox.message(id, request.body.kind === 'note' ? 'note' : 'agent', request.body.text);
        if (request.body.kind === 'reply') inbox.change(id, { status: 'human', assignee: ME });
      });
      return reply.code(201).send({ message: { ...message, author: ME }, duplicate: false, ...answer });
    },
  );
  for (const [action, patch] of [
    ['take', { status: 'human', assignee: ME }],
    ['hand-back', { status: 'open', assignee: null }],
    ['resolve', { status: 'resolved' }],
    ['reopen', { status: 'open', assignee: null }],
    ['read', { unread: 0 }],
  ] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/inbox/conversations/:id/${action}`, async (request) =>
      act(request.params.id, () => inbox.change(request.params.id, patch)),
    );
  }
  const now = new Date('2026-03-01T10:00:00.000Z').toISOString();
  app.get('/api/v1/team', async () => ({
    members: [
      {
        id: ME.id,
        email: 'marie@ma-boutique.test',
        name: ME.name,
        role: 'owner',
        totpEnabled: true,
        lastLoginAt: now,
      },
      {
        id: PAUL.id,
        email: 'paul@ma-boutique.test',
        name: PAUL.name,
        role: 'agent',
        totpEnabled: false,
        lastLoginAt: null,
      },
    ],
    invitations: [
      {
        id: 'ffffffff-0000-4000-8000-000000000001',
        email: 'lou@ma-boutique.test',
        role: 'admin',
        createdAt: now,
        expiresAt: now,
      },
    ],
  }));
  app.get('/api/v1/api-keys', async () => ({
    items: [
      {
        id: 'ffffffff-0000-4000-8000-000000000002',
        name: 'CRM',
        prefix: 'cst_ab12',
        scope: 'read',
        active: true,
        createdAt: now,
        expiresAt: null,
        lastUsedAt: now,
      },
      {
        id: 'ffffffff-0000-4000-8000-000000000003',
        name: 'Ancien',
        prefix: 'cst_cd34',
        scope: 'admin',
        active: false,
        createdAt: now,
        expiresAt: now,
        lastUsedAt: null,
      },
    ],
  }));
  app.get('/api/v1/account', async () => ({
    id: ME.id,
    email: 'marie@ma-boutique.test',
    name: ME.name,
    totpEnabled: false,
    activeSessions: 2,
  }));
  app.get('/api/v1/inbox/events', { websocket: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as {
        type: string;
        lastSeq?: number;
        conversationId?: string | null;
        watch?: string | null;
      };
      if (frame.type === 'hello') {
        // Every event is kept here, so any lastSeq resumes: the events after it, then welcome.
        const resumed = frame.lastSeq !== undefined && frame.lastSeq <= inbox.seq;
        if (resumed)
          for (const event of inbox.eventsAfter(frame.lastSeq!)) socket.send(JSON.stringify(event));
        socket.send(
          JSON.stringify({
            type: 'welcome',
            protocol: 1,
            seq: inbox.seq,
            resumed,
            userId: ME.id,
            tenantId: session.currentTenantId,
          }),
        );
        socket.send(JSON.stringify({ type: 'unread', counts: counts() }));
      }
      const watched =
        frame.type === 'watch' ? frame.conversationId : frame.type === 'hello' ? frame.watch : undefined;
      if (watched) {
        socket.send(
          JSON.stringify({
            type: 'presence',
            conversationId: watched,
            viewers: [ME, PAUL],
            typing: [],
            visitor: { online: true, typing: false, page: null },
          }),
        );
      }
      if (frame.type === 'ping') socket.send(JSON.stringify({ type: 'pong' }));
    });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, inbox, reads, close: () => app.close(), broadcast };
}
