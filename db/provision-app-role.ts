import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Db } from './database.ts';

/** The role migration 0000 creates: every grant of the schema is made to it. */
export const APP_GROUP_ROLE = 'causette_app';

export interface AppRoleProvision {
  /** The login role the server connects as (CAUSETTE_APP_ROLE). */
  role: string;
  /**
   * Its password, set again at every migration; undefined when the role was made by hand
   * (DATABASE_APP_URL) and only its membership is granted.
   */
  password: string | undefined;
  /** The key tenant scopes are signed with (withTenant), kept where only the owner reads it. */
  tenantScopeKey: Buffer;
  /** Embedded PGlite: the app role vacuums and analyses itself, there being no other connection. */
  maintains: boolean;
}

/**
 * Makes the app's login role what the server needs, run by the owner after the migrations: a role
 * that logs in, owns nothing, is no superuser and cannot bypass row level security, and holds the
 * schema's grants through membership in `causette_app`. Writes the tenant scope key.
 */
export async function provisionAppRole(owner: Db, provision: AppRoleProvision): Promise<void> {
  const role = quoteRole(provision.role);
  if (provision.password !== undefined) {
    // Created with the defaults (no superuser, no BYPASSRLS, …); those are not named again when
    // altering, since only a superuser may name them, even unchanged.
    await owner.execute(
      sql.raw(`do $$
begin
  if not exists (select from pg_roles where rolname = ${quoteLiteral(provision.role)}) then
    create role ${role} login;
  end if;
exception when duplicate_object or unique_violation then
  null;
end
$$`),
    );
    // A SCRAM verifier, not the password: the statement may be logged.
    await owner.execute(
      sql.raw(`alter role ${role} with login password ${quoteLiteral(scramVerifier(provision.password))}`),
    );
  }
  if (provision.role !== APP_GROUP_ROLE) {
    await owner.execute(sql.raw(`grant ${APP_GROUP_ROLE} to ${role}`));
  }
  if (provision.maintains) {
    await owner.execute(sql.raw(`grant maintain on all tables in schema public to ${APP_GROUP_ROLE}`));
  }
  const { inner, outer } = hmacPads(provision.tenantScopeKey);
  await owner.execute(sql`
    insert into causette_private.tenant_scope_key (singleton, inner_pad, outer_pad)
    values (true, ${inner}, ${outer})
    on conflict (singleton) do update set inner_pad = excluded.inner_pad, outer_pad = excluded.outer_pad`);
}

/** A role name as CAUSETTE_APP_ROLE allows it: lower case, digits and underscores. */
export const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

function quoteRole(name: string): string {
  if (!ROLE_NAME.test(name)) throw new TypeError(`not a role name: ${JSON.stringify(name)}`);
  return `"${name}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** HMAC-SHA-256's inner and outer padded keys, as causette_current_tenant() uses them. */
function hmacPads(key: Buffer): { inner: Buffer; outer: Buffer } {
  const block = Buffer.alloc(64);
  (key.length > 64 ? createHash('sha256').update(key).digest() : key).copy(block);
  return {
    inner: Buffer.from(block.map((byte) => byte ^ 0x36)),
    outer: Buffer.from(block.map((byte) => byte ^ 0x5c)),
  };
}

/** What Postgres stores for a SCRAM-SHA-256 password (RFC 5802, 7677), as psql's \password sends. */
export function scramVerifier(password: string, salt = randomBytes(16), iterations = 4096): string {
  const salted = pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}
