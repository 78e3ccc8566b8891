import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env, '/srv/app');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('Meta configuration', () => {
  it('reads the webhook secrets, Graph location, token keys and throughput', () => {
    const key = 'a'.repeat(64);
    const previous = Buffer.alloc(32, 7).toString('base64');
    const { meta } = loadConfig(
      {
        META_APP_SECRET: 'app-secret',
        INSTAGRAM_APP_SECRET: 'ig-secret',
        META_VERIFY_TOKEN: 'verify',
        META_GRAPH_URL: 'http://127.0.0.1:9999/',
        INSTAGRAM_GRAPH_URL: 'https://graph.instagram.com',
        META_GRAPH_VERSION: 'v21.0',
        CAUSETTE_TOKEN_KEY: key,
        CAUSETTE_TOKEN_KEY_PREVIOUS: previous,
        WHATSAPP_MESSAGES_PER_SECOND: '1000',
        INSTAGRAM_CALLS_PER_SECOND: '100',
      },
      '/srv/app',
    );
    expect(meta).toEqual({
      appSecret: 'app-secret',
      instagramAppSecret: 'ig-secret',
      verifyToken: 'verify',
      graphUrl: 'http://127.0.0.1:9999',
      instagramGraphUrl: 'https://graph.instagram.com',
      graphVersion: 'v21.0',
      tokenKey: Buffer.from(key, 'hex'),
      previousTokenKeys: [Buffer.alloc(32, 7)],
      whatsappMessagesPerSecond: 1000,
      instagramCallsPerSecond: 100,
    });
  });

  it('explains what is missing or malformed, all at once', () => {
    expect(problems({ META_APP_SECRET: 's' })).toEqual([
      'META_VERIFY_TOKEN is required with META_APP_SECRET: Meta verifies the webhook URL with it',
    ]);
    expect(problems({ META_VERIFY_TOKEN: 't' })).toEqual([
      'META_APP_SECRET is required with META_VERIFY_TOKEN: webhooks are checked against it',
    ]);
    const many = problems({
      META_GRAPH_URL: 'graph.facebook.com',
      META_GRAPH_VERSION: '23',
      CAUSETTE_TOKEN_KEY: 'too-short',
      WHATSAPP_MESSAGES_PER_SECOND: '0',
    });
    expect(many).toHaveLength(4);
    expect(many.join('\n')).toContain('META_GRAPH_URL must be an http(s) URL');
    expect(many.join('\n')).toContain('META_GRAPH_VERSION must look like v23.0');
    expect(many.join('\n')).toContain('CAUSETTE_TOKEN_KEY must be 32 bytes');
    expect(many.join('\n')).toContain('WHATSAPP_MESSAGES_PER_SECOND must be a whole number from 1 to 1000');
  });
});
