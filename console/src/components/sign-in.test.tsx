// @vitest-environment happy-dom

import { describe, expect, it } from 'vitest';
import { flush, renderConsole, session } from '../../testing/render-console.tsx';
import { fireEvent } from '../../testing/test-events.ts';

const unauthorized: [number, unknown] = [
  401,
  { statusCode: 401, code: 'CAUSETTE_ERR_UNAUTHORIZED', error: 'Unauthorized', message: 'Sign in' },
];

function type(root: HTMLElement, label: RegExp, value: string) {
  const input = [...root.querySelectorAll('label')]
    .find((l) => label.test(l.textContent ?? ''))!
    .querySelector('input')!;
  input.value = value;
  fireEvent(input, 'input');
}

describe('signing in', () => {
  it('asks for the TOTP code after a right password, sends both, then shows the inbox', async () => {
    const bodies: unknown[] = [];
    const { root, calls } = await renderConsole('/console/inbox/waiting', {
      'GET /auth/session': () => unauthorized,
      'POST /auth/sign-in': ({ body }) => {
        bodies.push(body);
        return (body as { totp?: string }).totp === '123456'
          ? [200, session]
          : [
              401,
              { statusCode: 401, code: 'CAUSETTE_ERR_TOTP_REQUIRED', error: 'Unauthorized', message: 'code' },
            ];
      },
      'GET /inbox/teammates': () => [200, { items: [] }],
    });
    expect(root.querySelector('h1')?.textContent).toBe('Sign in to the console');
    type(root, /E-mail/, ' marie@boutique.test ');
    type(root, /Password/, 'correct horse battery');
    fireEvent(root.querySelector('form')!, 'submit');
    await flush();
    expect(root.querySelector('h1')?.textContent).toBe('Two-factor authentication');
    type(root, /Code from your authenticator app/, '123456');
    fireEvent(root.querySelector('form')!, 'submit');
    await flush();
    expect(bodies).toEqual([
      { email: 'marie@boutique.test', password: 'correct horse battery' },
      { email: 'marie@boutique.test', password: 'correct horse battery', totp: '123456' },
    ]);
    // Signed in, on the page the URL asked for, and no token was stored anywhere.
    expect(root.querySelector('nav.views a[aria-current="page"]')?.textContent).toContain(
      'Waiting for a person',
    );
    expect(localStorage.getItem('causette-console:preferences')).not.toContain('csrf');
    expect(calls.some((call) => call.path === '/auth/sign-in' && call.headers['x-csrf-token'])).toBe(false);
  });

  it('says the same thing for a wrong password and an unknown e-mail, and counts down a rate limit', async () => {
    let attempts = 0;
    const { root } = await renderConsole('/console/', {
      'GET /auth/session': () => unauthorized,
      'POST /auth/sign-in': () =>
        ++attempts < 2
          ? [
              401,
              { statusCode: 401, code: 'CAUSETTE_ERR_SIGN_IN_FAILED', error: 'Unauthorized', message: 'no' },
            ]
          : [
              429,
              {
                statusCode: 429,
                code: 'CAUSETTE_ERR_RATE_LIMITED',
                error: 'Too Many Requests',
                message: 'wait',
              },
            ],
    });
    type(root, /E-mail/, 'who@boutique.test');
    type(root, /Password/, 'nope');
    fireEvent(root.querySelector('form')!, 'submit');
    await flush();
    expect(root.querySelector('[role="alert"]')?.textContent).toBe('Wrong e-mail or password.');
    fireEvent(root.querySelector('form')!, 'submit');
    await flush();
    expect(root.querySelector('[role="alert"]')?.textContent).toMatch(/^Too many attempts/);
  });
});
