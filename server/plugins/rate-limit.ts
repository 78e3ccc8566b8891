import rateLimit, { type RateLimitPluginOptions } from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import { Errors } from '../errors.ts';

/** Distinct client addresses remembered per limit; the least recently seen are forgotten first. */
const ADDRESSES_REMEMBERED = 20_000;

/** A limit of `max` requests per client address in each window of `timeWindow` milliseconds. */
export interface RequestLimit {
  max: number;
  timeWindow: number;
  cache: number;
}

export const perMinute = (max: number): RequestLimit => ({
  max,
  timeWindow: 60_000,
  cache: ADDRESSES_REMEMBERED,
});
export const perHour = (max: number): RequestLimit => ({
  max,
  timeWindow: 3_600_000,
  cache: ADDRESSES_REMEMBERED,
});

/**
 * Per-client-address limits with @fastify/rate-limit, off by default for every route. A plugin
 * or a route opts in with `onRequest: app.rateLimit(perMinute(n))`, and code outside a request's
 * lifecycle (a websocket's hello) counts with `app.createRateLimit(limit)`. The address is
 * `request.ip`, so it is read from X-Forwarded-For only when CAUSETTE_TRUST_PROXY names the proxy.
 * Counters live in the process: with several processes, each counts its own share.
 */
export async function registerRateLimits(app: FastifyInstance): Promise<void> {
  const options: RateLimitPluginOptions = {
    global: false,
    cache: ADDRESSES_REMEMBERED,
    errorResponseBuilder: (_request, context) =>
      new Errors.RateLimited(Math.max(1, Math.ceil(context.ttl / 1000))),
  };
  await app.register(rateLimit, options);
}
