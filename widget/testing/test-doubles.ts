import type { ComponentChildren, VNode } from 'preact';
import { Fragment } from 'preact';

/**
 * Test helpers for the widget's unit tests, which run in Node against src/ and again against the
 * built dist/ (vitest.config.ts): a fake WebSocket, an in-memory localStorage, and a tiny
 * serializer of Preact elements (escaping text, as the DOM would).
 */
export class FakeSocket {
  static opened: FakeSocket[] = [];
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onclose: ((event: { code: number; reason: string }) => void) | null = null;

  constructor(readonly url: string) {
    FakeSocket.opened.push(this);
  }

  static last(): FakeSocket {
    const socket = FakeSocket.opened[FakeSocket.opened.length - 1];
    if (!socket) throw new Error('no socket was opened');
    return socket;
  }

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }

  close(): void {
    this.readyState = 3;
  }

  open(): void {
    this.readyState = 1;
    this.onopen?.();
  }

  receive(frame: Record<string, unknown>): void {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }

  drop(code = 1006, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  framesOf(type: string): Record<string, unknown>[] {
    return this.sent.filter((frame) => frame['type'] === type);
  }
}

export function installLocalStorage(): Map<string, string> {
  const store = new Map<string, string>();
  (globalThis as { localStorage?: unknown }).localStorage = {
    getItem: (key: string) => store.get(key) ?? null,
    setItem: (key: string, value: string) => void store.set(key, value),
    removeItem: (key: string) => void store.delete(key),
  };
  return store;
}

const escapeText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function toHtml(node: ComponentChildren): string {
  if (node === null || node === undefined || typeof node === 'boolean') return '';
  if (typeof node === 'string' || typeof node === 'number') return escapeText(String(node));
  if (Array.isArray(node)) return node.map(toHtml).join('');
  const vnode = node as VNode<Record<string, unknown>>;
  if (vnode.type === Fragment) return toHtml(vnode.props['children'] as ComponentChildren);
  if (typeof vnode.type === 'function') {
    return toHtml((vnode.type as (props: unknown) => ComponentChildren)(vnode.props));
  }
  const attributes = Object.entries(vnode.props)
    .filter(([name]) => name !== 'children')
    .map(([name, value]) => ` ${name}="${escapeText(String(value)).replace(/"/g, '&quot;')}"`)
    .join('');
  return `<${vnode.type}${attributes}>${toHtml(vnode.props['children'] as ComponentChildren)}</${vnode.type}>`;
}
