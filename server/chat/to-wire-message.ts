import type { StoredMessage } from '../../bot/conversation/conversation-store.ts';
import type { WireCitation, WireMessage, WireRole } from '../protocol/frames.ts';

const ROLES: ReadonlySet<string> = new Set<WireRole>(['user', 'assistant', 'agent', 'system']);

/** A stored message as the widget sees it: only what the visitor may read. */
export function toWireMessage(message: StoredMessage): WireMessage {
  const wire: WireMessage = {
    id: message.id,
    seq: message.seq,
    role: ROLES.has(message.role) ? (message.role as WireRole) : 'system',
    text: message.content,
    createdAt: message.createdAt.toISOString(),
  };
  if (message.clientId) wire.clientId = message.clientId;
  const citations = citationsOf(message.metadata['citations']);
  if (citations.length > 0) wire.citations = citations;
  const streamId = message.metadata['stream_id'];
  if (typeof streamId === 'string') wire.streamId = streamId;
  return wire;
}

function citationsOf(value: unknown): WireCitation[] {
  if (!Array.isArray(value)) return [];
  const citations: WireCitation[] = [];
  for (const item of value) {
    if (typeof item !== 'object' || item === null) continue;
    const { title, url, filename } = item as Record<string, unknown>;
    if (typeof title !== 'string') continue;
    const citation: WireCitation = { title };
    if (typeof url === 'string' && /^https?:\/\//i.test(url)) citation.url = url;
    if (typeof filename === 'string') citation.filename = filename;
    citations.push(citation);
  }
  return citations;
}
