import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A loopback stand-in for a Qdrant server, for tests: the REST endpoints Causette's Qdrant
 * adapter uses, with the request and response shapes of Qdrant's API reference (collections,
 * payload indexes, points upsert / delete / query; filters with must, should, must_not, match on
 * dotted payload keys and has_id; cosine distance on normalised vectors; the api-key header).
 * No Qdrant can be installed where the tests run; this is what they talk to.
 */
export interface QdrantStandIn {
  url: string;
  collections: Map<string, StandInCollection>;
  /** Every request, for assertions: method, path and parsed body. */
  requests: { method: string; path: string; body: unknown }[];
  /** Makes every request fail with this status until cleared (an outage). */
  failWith: number | null;
  close(): Promise<void>;
}

export interface StandInCollection {
  size: number;
  distance: string;
  payloadIndexes: Map<string, unknown>;
  points: Map<string, { vector: number[]; payload: Record<string, unknown> }>;
}

type Filter = { must?: Condition[]; should?: Condition[]; must_not?: Condition[] };
type Condition =
  | Filter
  | { key: string; match: { value?: unknown; any?: unknown[] } }
  | { has_id: (string | number)[] };

export async function startQdrantStandIn(options: { apiKey?: string } = {}): Promise<QdrantStandIn> {
  const collections = new Map<string, StandInCollection>();
  const requests: QdrantStandIn['requests'] = [];
  const state: { failWith: number | null } = { failWith: null };

  const server = createServer(async (request, response) => {
    const body = await readJson(request);
    const url = new URL(request.url ?? '/', 'http://stand-in');
    requests.push({ method: request.method ?? 'GET', path: url.pathname, body });
    if (options.apiKey && request.headers['api-key'] !== options.apiKey) {
      return send(response, 401, {
        status: { error: 'Must provide an API key or an Authorization bearer token' },
      });
    }
    if (state.failWith)
      return send(response, state.failWith, { status: { error: 'Service unavailable' }, time: 0 });
    const started = performance.now();
    const ok = (result: unknown) =>
      send(response, 200, { result, status: 'ok', time: (performance.now() - started) / 1000 });
    const parts = url.pathname.split('/').filter(Boolean);
    if (request.method === 'GET' && parts.length === 0)
      return send(response, 200, { title: 'qdrant - vector search engine', version: '1.13.0' });
    if (parts[0] !== 'collections') return send(response, 404, { status: { error: 'Not found' } });
    if (request.method === 'GET' && parts.length === 1) {
      return ok({ collections: [...collections.keys()].map((name) => ({ name })) });
    }
    const name = decodeURIComponent(parts[1] ?? '');
    const collection = collections.get(name);
    if (parts.length === 2 && request.method === 'PUT') {
      if (collection)
        return send(response, 409, {
          status: { error: `Wrong input: Collection \`${name}\` already exists!` },
        });
      const vectors = (body as { vectors?: { size?: number; distance?: string } }).vectors;
      if (!vectors?.size || !vectors.distance)
        return send(response, 422, { status: { error: 'Json deserialize error: missing field `vectors`' } });
      collections.set(name, {
        size: vectors.size,
        distance: vectors.distance,
        payloadIndexes: new Map(),
        points: new Map(),
      });
      return ok(true);
    }
    if (!collection)
      return send(response, 404, { status: { error: `Not found: Collection \`${name}\` doesn't exist!` } });
    if (parts.length === 2 && request.method === 'GET') {
      return ok({
        status: 'green',
        points_count: collection.points.size,
        config: { params: { vectors: { size: collection.size, distance: collection.distance } } },
      });
    }
    const action = parts.slice(2).join('/');
    const completed = () => ok({ operation_id: requests.length, status: 'completed' });
    if (action === 'index' && request.method === 'PUT') {
      const { field_name, field_schema } = body as { field_name: string; field_schema: unknown };
      collection.payloadIndexes.set(field_name, field_schema);
      return completed();
    }
    if (action === 'points' && request.method === 'PUT') {
      const points =
        (body as { points?: { id: string; vector: number[]; payload?: Record<string, unknown> }[] }).points ??
        [];
      for (const point of points) {
        if (point.vector.length !== collection.size) {
          return send(response, 400, {
            status: {
              error: `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${point.vector.length}`,
            },
          });
        }
      }
      for (const point of points)
        collection.points.set(String(point.id), {
          vector: normalise(point.vector),
          payload: point.payload ?? {},
        });
      return completed();
    }
    if (action === 'points/delete' && request.method === 'POST') {
      const selector = body as { points?: (string | number)[]; filter?: Filter };
      for (const [id, point] of [...collection.points]) {
        const selected = selector.points
          ? selector.points.map(String).includes(id)
          : selector.filter
            ? matches(selector.filter, id, point.payload)
            : false;
        if (selected) collection.points.delete(id);
      }
      return completed();
    }
    if (action === 'points/query' && request.method === 'POST') {
      const query = body as {
        query?: number[] | { nearest: number[] };
        limit?: number;
        filter?: Filter;
        with_payload?: unknown;
      };
      const vector = Array.isArray(query.query) ? query.query : query.query?.nearest;
      if (!vector) return send(response, 422, { status: { error: 'query is required' } });
      if (vector.length !== collection.size) {
        return send(response, 400, {
          status: {
            error: `Wrong input: Vector dimension error: expected dim: ${collection.size}, got ${vector.length}`,
          },
        });
      }
      const q = normalise(vector);
      const points = [...collection.points]
        .filter(([id, point]) => !query.filter || matches(query.filter, id, point.payload))
        .map(([id, point]) => ({
          id,
          version: 0,
          score: point.vector.reduce((sum, x, i) => sum + x * q[i]!, 0),
          payload: point.payload,
        }))
        .sort((a, b) => b.score - a.score)
        .slice(0, query.limit ?? 10);
      return ok({ points });
    }
    return send(response, 404, { status: { error: `Not found: ${request.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    collections,
    requests,
    get failWith() {
      return state.failWith;
    },
    set failWith(value) {
      state.failWith = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function matches(filter: Filter, id: string, payload: Record<string, unknown>): boolean {
  const test = (condition: Condition): boolean => {
    if ('has_id' in condition) return condition.has_id.map(String).includes(id);
    if ('key' in condition) {
      const value = condition.key
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], payload);
      if ('value' in condition.match) return value === condition.match.value;
      return (condition.match.any ?? []).includes(value);
    }
    return matches(condition, id, payload);
  };
  if (filter.must && !filter.must.every(test)) return false;
  if (filter.must_not?.some(test)) return false;
  if (filter.should && filter.should.length > 0 && !filter.should.some(test)) return false;
  return true;
}

function normalise(vector: number[]): number[] {
  const norm = Math.sqrt(vector.reduce((sum, x) => sum + x * x, 0)) || 1;
  return vector.map((x) => x / norm);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const parts: Buffer[] = [];
  for await (const part of request) parts.push(part as Buffer);
  if (parts.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(parts).toString('utf8'));
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}
