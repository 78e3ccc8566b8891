import { describe, expect, it } from 'vitest';
import { formatRoute, parseRoute, type Route } from './routes.ts';

const ID = '0b6f1c1e-8d3a-4d4e-9a55-0f3f7c2a9b10';
const parse = (path: string) => parseRoute(new URL(path, 'https://shop.example'));

describe('console URLs', () => {
  it('hold the view, the filters and the open conversation, and read back the same', () => {
    const routes: Route[] = [
      { name: 'inbox', filter: { view: 'all' }, conversationId: null },
      {
        name: 'inbox',
        filter: {
          view: 'waiting',
          status: 'waiting',
          channel: 'whatsapp',
          assignee: ID,
          q: 'remboursement & co',
        },
        conversationId: ID,
      },
      { name: 'page', page: 'team' },
      { name: 'page', page: 'api-keys' },
      { name: 'link', token: 'abcdefghijklmnopqrstuvwxyz' },
    ];
    for (const route of routes) expect(parse(formatRoute(route))).toEqual(route);
  });

  it('opens the inbox at /console/ and drops filter values it does not know', () => {
    expect(parse('/console/')).toEqual({ name: 'inbox', filter: { view: 'all' }, conversationId: null });
    expect(parse('/console/inbox/mine?status=escalated&channel=sms&assignee=bob&q=%20')).toEqual({
      name: 'inbox',
      filter: { view: 'mine' },
      conversationId: null,
    });
  });

  it('says not found for unknown views, ids that are not uuids and unknown pages', () => {
    expect(parse('/console/inbox/everything').name).toBe('not-found');
    expect(parse('/console/inbox/all/../../etc').name).toBe('not-found');
    expect(parse('/console/inbox/all/not-a-uuid').name).toBe('not-found');
    expect(parse('/console/settings').name).toBe('not-found');
  });
});
