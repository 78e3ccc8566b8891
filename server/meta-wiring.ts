import { createGraphClient, type GraphClientOptions } from '../bot/channels/meta/graph-client.ts';
import {
  createMetaChannels,
  type MetaChannels,
  type MetaChannelsDeps,
} from '../bot/channels/meta/meta-channels.ts';
import { createTokenCipher, type TokenCipher } from '../bot/channels/meta/token-cipher.ts';
import type { Logger } from '../bot/logger.ts';
import type { Database } from '../db/database.ts';
import type { ServerKeys } from './auth/server-secret.ts';
import type { MetaConfig } from './config.ts';

/**
 * The token cipher: CAUSETTE_TOKEN_KEY when set, otherwise a key derived from the server secret
 * (CAUSETTE_SECRET, or the one kept in the data directory), with earlier keys for rotation.
 */
export function createServerTokenCipher(
  config: Pick<MetaConfig, 'tokenKey' | 'previousTokenKeys'>,
  keys: ServerKeys,
): TokenCipher {
  return createTokenCipher(config.tokenKey ?? keys.encryption, config.previousTokenKeys);
}

export function graphOptionsOf(
  config: Pick<MetaConfig, 'graphUrl' | 'instagramGraphUrl' | 'graphVersion'>,
): GraphClientOptions {
  return {
    baseUrls: { facebook: config.graphUrl, instagram: config.instagramGraphUrl },
    version: config.graphVersion,
  };
}

/** WhatsApp and Instagram as the server runs them, from the configuration. */
export function createServerMetaChannels(
  database: Database,
  config: MetaConfig,
  keys: ServerKeys,
  log: Logger,
  overrides: Partial<
    Pick<MetaChannelsDeps, 'processor' | 'sender' | 'now' | 'recoveryIntervalMs' | 'ingestDb'>
  > = {},
): MetaChannels {
  return createMetaChannels({
    db: database.db,
    log,
    now: () => new Date(),
    cipher: createServerTokenCipher(config, keys),
    graph: createGraphClient(graphOptionsOf(config)),
    limits: {
      whatsappMessagesPerSecond: config.whatsappMessagesPerSecond,
      instagramCallsPerSecond: config.instagramCallsPerSecond,
    },
    ...overrides,
  });
}
