import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { SignInBody } from './console.ts';
import { ConsoleHelloFrame, OperatorTypingFrame } from './console-events.ts';
import { ListQuery, SendBody } from './console-inbox.ts';

const ID = '0b6f1c1e-8d3a-4d4e-9a55-0f3f7c2a9b10';

describe('the console protocol schemas', () => {
  it('sign-in takes an e-mail, a password and a six-digit code, and nothing else', () => {
    const check = Compile(SignInBody);
    expect(check.Check({ email: 'a@b.fr', password: 'x', totp: '123456' })).toBe(true);
    expect(check.Check({ email: 'a@b.fr', password: 'x', totp: '12345' })).toBe(false);
    expect(check.Check({ email: 'not an email', password: 'x' })).toBe(false);
    expect(check.Check({ email: 'a@b.fr', password: 'x', role: 'owner' })).toBe(false);
  });

  it('a reply or note needs text that is not only spaces, a client id, and a known kind', () => {
    const check = Compile(SendBody);
    expect(check.Check({ kind: 'reply', text: 'Bonjour', clientId: 'c-1' })).toBe(true);
    expect(check.Check({ kind: 'note', text: ' \n ', clientId: 'c-1' })).toBe(false);
    expect(check.Check({ kind: 'email', text: 'x', clientId: 'c-1' })).toBe(false);
    expect(check.Check({ kind: 'reply', text: 'x'.repeat(8001), clientId: 'c-1' })).toBe(false);
    expect(check.Check({ kind: 'reply', text: 'x', clientId: 'bad id' })).toBe(false);
  });

  it('a list names its view and takes only the known filters', () => {
    const check = Compile(ListQuery);
    expect(check.Check({ view: 'waiting', channel: 'whatsapp', assignee: ID, q: 'retour' })).toBe(true);
    expect(check.Check({ view: 'everything' })).toBe(false);
    expect(check.Check({ view: 'all', status: 'escalated' })).toBe(false);
    expect(check.Check({ view: 'all', limit: 500 })).toBe(false);
  });

  it('socket frames: hello resumes from a seq, typing says what is being written', () => {
    expect(Compile(ConsoleHelloFrame).Check({ type: 'hello', lastSeq: 42, watch: ID })).toBe(true);
    expect(Compile(ConsoleHelloFrame).Check({ type: 'hello', lastSeq: -1 })).toBe(false);
    const typing = Compile(OperatorTypingFrame);
    expect(typing.Check({ type: 'typing', conversationId: ID, composing: 'note' })).toBe(true);
    expect(typing.Check({ type: 'typing', conversationId: ID, composing: null })).toBe(true);
    expect(typing.Check({ type: 'typing', conversationId: 'x', composing: 'reply' })).toBe(false);
  });
});
