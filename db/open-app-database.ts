import { sql } from 'drizzle-orm';
import { type Database, type Db, openDatabase, queryRows } from './database.ts';
import { runMigrations } from './migrate.ts';
import { type AppRoleProvision, provisionAppRole } from './provision-app-role.ts';
import { bindTenantScopeKey } from './tenant-scope.ts';

/** What the server secret gives the database (deriveServerKeys). */
export interface DatabaseCredentials {
  /** The app role's password, set again at every migration. */
  appPassword: string;
  /** The key tenant scopes are signed with. */
  tenantScopeKey: Buffer;
}

export interface AppDatabaseOptions {
  /** DATABASE_URL: the tables' owner (or a superuser). Undefined: embedded PGlite. */
  url: string | undefined;
  /**
   * DATABASE_APP_URL: the app role, made by hand. By default the server logs in as `appRole` at
   * `url`'s host, with the password derived from the secret, which the migrations set.
   */
  appUrl?: string | undefined;
  /** CAUSETTE_APP_ROLE. */
  appRole: string;
  /** Embedded PGlite's directory; undefined keeps it in memory. */
  dataDir?: string | undefined;
  /** Embedded PGlite in memory, started from a `dumpDataDir` archive (tests). */
  snapshot?: Blob | undefined;
  credentials: DatabaseCredentials;
  /** Applies the migrations and provisions the app role first; false when another process does. */
  migrate: boolean;
  maxConnections?: number | undefined;
}

/**
 * The database as the server uses it (docs/decisions/0012-app-role-and-signed-tenant-scope.md):
 * on a Postgres server, migrated by a short-lived connection as the owner, then served only
 * through the app role, which owns nothing and cannot bypass row level security; maintenance
 * opens an owner connection of its own while it runs. Embedded PGlite has one session, the
 * superuser's: it migrates, then switches the session to the app role, so that queries are held
 * to the same policies (but a statement can switch it back: the guarantee is a server's).
 */
export async function openAppDatabase(options: AppDatabaseOptions): Promise<Database> {
  const ownerUrl = options.url;
  if (!ownerUrl) return openEmbedded(options);
  if (options.migrate) await migrateDatabase(options);
  const app = await openDatabase({
    driver: 'postgres',
    url: options.appUrl ?? appRoleUrl(ownerUrl, options.appRole, options.credentials.appPassword),
    maxConnections: options.maxConnections ?? 10,
  });
  try {
    await assertServingRole(app.db, options.appRole);
  } catch (error) {
    await app.close();
    throw error;
  }
  bindTenantScopeKey(app.db, options.credentials.tenantScopeKey);
  return { ...app, maintain: (work) => asOwner(ownerUrl, work) };
}

/** Applies the migrations and provisions the app role, as the owner, then closes (causette migrate). */
export async function migrateDatabase(options: AppDatabaseOptions): Promise<void> {
  const owner = options.url
    ? await openDatabase({ driver: 'postgres', url: options.url, maxConnections: 2 })
    : await openDatabase({ driver: 'pglite', dataDir: options.dataDir });
  try {
    await runMigrations(owner, provisionOf(options));
  } finally {
    await owner.close();
  }
}

async function openEmbedded(options: AppDatabaseOptions): Promise<Database> {
  const database = await openDatabase({
    driver: 'pglite',
    dataDir: options.dataDir,
    snapshot: options.snapshot,
  });
  try {
    if (options.migrate) await runMigrations(database);
    await serveEmbeddedDatabase(database, options);
  } catch (error) {
    await database.close();
    throw error;
  }
  return database;
}

/**
 * Turns an embedded PGlite opened by its superuser session, and migrated, into the server's:
 * provisions the app role (at every open: the key follows the secret), then switches the one
 * session to it. The app role may vacuum and analyse (MAINTAIN), there being no other connection.
 */
export async function serveEmbeddedDatabase(
  database: Database,
  options: Pick<AppDatabaseOptions, 'appRole' | 'credentials'>,
): Promise<void> {
  await provisionAppRole(database.db, provisionOf({ ...options, url: undefined }));
  await database.db.execute(sql.raw(`set role "${options.appRole}"`));
  await assertServingRole(database.db, options.appRole);
  bindTenantScopeKey(database.db, options.credentials.tenantScopeKey);
}

function provisionOf(
  options: Pick<AppDatabaseOptions, 'url' | 'appUrl' | 'appRole' | 'credentials'>,
): AppRoleProvision {
  return {
    role: options.appRole,
    password: options.appUrl ? undefined : options.credentials.appPassword,
    tenantScopeKey: options.credentials.tenantScopeKey,
    maintains: !options.url,
  };
}

/** The owner's URL with the app role's name and password instead (host, port, database kept). */
export function appRoleUrl(ownerUrl: string, role: string, password: string): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.password = password;
  return url.toString();
}

async function asOwner<T>(ownerUrl: string, work: (db: Db) => Promise<T>): Promise<T> {
  const owner = await openDatabase({ driver: 'postgres', url: ownerUrl, maxConnections: 1 });
  try {
    return await work(owner.db);
  } finally {
    await owner.close();
  }
}

/** The app's connection is refused if row level security would not hold it. */
export class UnsafeAppRoleError extends Error {
  constructor(role: string, problems: string[]) {
    super(
      `the database role "${role}" must not serve the app: it ${problems.join(', ')}. ` +
        'The server connects as a role that owns nothing and cannot bypass row level security (docs/deploy.md).',
    );
    this.name = 'UnsafeAppRoleError';
  }
}

async function assertServingRole(db: Db, expected: string): Promise<void> {
  const [role] = await queryRows<{ name: string; superuser: boolean; bypass: boolean; owner: boolean }>(
    db,
    sql`select current_user::text as name, r.rolsuper as superuser, r.rolbypassrls as bypass,
          exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
                  where n.nspname in ('public', 'causette_private')
                    and pg_has_role(current_user, c.relowner, 'MEMBER')) as owner
        from pg_roles r where r.rolname = current_user`,
  );
  const problems: string[] = [];
  if (role?.name !== expected) problems.push(`is not CAUSETTE_APP_ROLE ("${expected}")`);
  if (role?.superuser) problems.push('is a superuser');
  if (role?.bypass) problems.push('has BYPASSRLS');
  if (role?.owner) problems.push('owns tables of the schema (or may act as their owner)');
  if (problems.length > 0) throw new UnsafeAppRoleError(role?.name ?? expected, problems);
}
