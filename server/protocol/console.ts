import Type, { type Static, type TSchema } from 'typebox';

/**
 * The operators' console, part one: accounts, sessions, the team and API keys, under /api/v1.
 * The inbox is in console-inbox.ts and the live events in console-events.ts;
 * docs/console-api.md describes all three. The console imports the types only, like the widget.
 *
 * Timestamps are ISO 8601 strings on the wire. A session is an HttpOnly cookie set by sign-in;
 * every state-changing request also carries the session's `csrfToken` in `x-csrf-token`.
 */

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const Uuid = Type.String({ format: 'uuid' });
export const IsoDateTime = Type.String({ format: 'date-time' });
export const IdParams = Type.Object({ id: Uuid });

/** An agent works conversations; an admin also manages knowledge, settings, channels and API keys; an owner also the team. */
export const Role = Type.Union([Type.Literal('owner'), Type.Literal('admin'), Type.Literal('agent')]);

const Email = Type.String({ minLength: 3, maxLength: 255, pattern: '^[^\\s@]+@[^\\s@]+$' });
const Password = Type.String({ minLength: 1, maxLength: 1024 });
/** A new password: long enough to resist guessing; no composition rules (NIST SP 800-63B). */
const NewPassword = Type.String({ minLength: 10, maxLength: 1024 });
const DisplayName = Type.String({ minLength: 1, maxLength: 255 });

// Sessions

export const SessionUser = Type.Object({ id: Uuid, email: Type.String(), name: Nullable(Type.String()) });

export const SessionTenant = Type.Object({ id: Uuid, slug: Type.String(), name: Type.String(), role: Role });

/** The answer of sign-in, GET /auth/session, switch-tenant and a followed one-time link. */
export const Session = Type.Object({
  user: SessionUser,
  /** Every tenant this e-mail belongs to, with its role there. */
  tenants: Type.Array(SessionTenant),
  currentTenantId: Uuid,
  /** Sent back in `x-csrf-token` on every state-changing request of this session. */
  csrfToken: Type.String(),
});

/**
 * POST /auth/sign-in. A wrong password and an unknown e-mail get the same error
 * (CAUSETTE_ERR_SIGN_IN_FAILED); a right password without a needed TOTP code gets
 * CAUSETTE_ERR_TOTP_REQUIRED, and the console asks for the code and sends everything again.
 */
export const SignInBody = Type.Object(
  {
    email: Email,
    password: Password,
    /** RFC 6238, six digits. */
    totp: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
    /** One of the recovery codes, instead of `totp`. */
    recoveryCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const SwitchTenantBody = Type.Object({ tenantId: Uuid }, { additionalProperties: false });

/**
 * One-time links (invitations, password resets, the CLI's sign-in links) point at
 * /console/link#TOKEN: the token stays in the fragment, out of logs and Referer headers, and the
 * console posts it. Inspecting does not use the link up; following it does.
 */
export const LinkBody = Type.Object(
  { token: Type.String({ minLength: 16, maxLength: 512 }) },
  { additionalProperties: false },
);

export const LinkInfo = Type.Object({
  kind: Type.Union([Type.Literal('invitation'), Type.Literal('reset'), Type.Literal('sign-in')]),
  email: Type.String(),
  /** The tenant an invitation is for. */
  tenantName: Nullable(Type.String()),
  /** Whether following the link needs a new password (an invitation of a new account, a reset). */
  needsPassword: Type.Boolean(),
  /** Whether it asks for a name (an invitation of a new account). */
  needsName: Type.Boolean(),
  expiresAt: IsoDateTime,
});

export const FollowLinkBody = Type.Object(
  {
    token: Type.String({ minLength: 16, maxLength: 512 }),
    password: Type.Optional(NewPassword),
    name: Type.Optional(DisplayName),
  },
  { additionalProperties: false },
);

// Two-factor authentication, for the signed-in user

export const TotpSetup = Type.Object({
  /** Base32, to type into an authenticator app. */
  secret: Type.String(),
  /** otpauth://totp/… for a QR code. */
  otpauthUrl: Type.String(),
});

export const TotpEnableBody = Type.Object(
  { code: Type.String({ pattern: '^[0-9]{6}$' }) },
  { additionalProperties: false },
);

export const RecoveryCodes = Type.Object({ recoveryCodes: Type.Array(Type.String()) });

export const TotpDisableBody = Type.Object({ password: Password }, { additionalProperties: false });

export const Account = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Nullable(Type.String()),
  totpEnabled: Type.Boolean(),
  /** Sessions of this account that are signed in now, this one included. */
  activeSessions: Type.Integer({ minimum: 0 }),
});

export const AccountPatchBody = Type.Object(
  {
    name: Type.Optional(DisplayName),
    /** Changing the password needs the current one. */
    password: Type.Optional(
      Type.Object({ current: Password, next: NewPassword }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

// The team (owners manage it)

export const TeamMember = Type.Object({
  id: Uuid,
  email: Type.String(),
  name: Nullable(Type.String()),
  role: Role,
  totpEnabled: Type.Boolean(),
  lastLoginAt: Nullable(IsoDateTime),
});

export const Invitation = Type.Object({
  id: Uuid,
  email: Type.String(),
  role: Role,
  createdAt: IsoDateTime,
  expiresAt: IsoDateTime,
});

export const Team = Type.Object({ members: Type.Array(TeamMember), invitations: Type.Array(Invitation) });

export const InviteBody = Type.Object({ email: Email, role: Role }, { additionalProperties: false });

/** The invitation, and its link to copy (it is also e-mailed when SMTP is configured). */
export const InvitationCreated = Type.Object({
  invitation: Invitation,
  link: Type.String(),
  emailed: Type.Boolean(),
});

export const MemberPatchBody = Type.Object({ role: Role }, { additionalProperties: false });

/** POST /team/members/:id/reset-link: a password-reset link for a teammate, to copy. */
export const ResetLink = Type.Object({
  link: Type.String(),
  emailed: Type.Boolean(),
  expiresAt: IsoDateTime,
});

// API keys (owners and admins)

/** `admin` acts as an admin (never manages the team); `read` only reads. */
export const ApiKeyScope = Type.Union([Type.Literal('admin'), Type.Literal('read')]);

export const ApiKey = Type.Object({
  id: Uuid,
  name: Type.String(),
  /** The key's first characters, to recognise it (`cst_ab12…`). */
  prefix: Type.String(),
  scope: ApiKeyScope,
  active: Type.Boolean(),
  createdAt: IsoDateTime,
  expiresAt: Nullable(IsoDateTime),
  lastUsedAt: Nullable(IsoDateTime),
});

export const ApiKeyCreateBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    scope: Type.Optional(ApiKeyScope),
    expiresAt: Type.Optional(IsoDateTime),
  },
  { additionalProperties: false },
);

/** The key itself is shown once, here. */
export const ApiKeyCreated = Type.Object({ apiKey: ApiKey, key: Type.String() });

export const ApiKeyList = Type.Object({ items: Type.Array(ApiKey) });

/** Every error answer of the API: `{statusCode, code, error, message}`. */
export const ApiError = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String(),
  error: Type.String(),
  message: Type.String(),
});

/**
 * The codes the console acts on. Others are shown with their message.
 * - UNAUTHORIZED: no session, or it expired or was revoked: back to the sign-in screen.
 * - SIGN_IN_FAILED, TOTP_REQUIRED, RATE_LIMITED (429, with retry-after): on the sign-in screen.
 * - CSRF (403): the token is missing or stale: the console reloads the session and retries once.
 * - FORBIDDEN (403): the role does not allow it.
 * - LINK_INVALID (410): an expired or used one-time link.
 * - CONFLICT (409): someone else has the conversation (the message names them).
 */
export type ConsoleErrorCode =
  | 'CAUSETTE_ERR_UNAUTHORIZED'
  | 'CAUSETTE_ERR_SIGN_IN_FAILED'
  | 'CAUSETTE_ERR_TOTP_REQUIRED'
  | 'CAUSETTE_ERR_RATE_LIMITED'
  | 'CAUSETTE_ERR_CSRF'
  | 'CAUSETTE_ERR_FORBIDDEN'
  | 'CAUSETTE_ERR_LINK_INVALID'
  | 'CAUSETTE_ERR_CONFLICT'
  | 'CAUSETTE_ERR_NOT_FOUND';

export type Role = Static<typeof Role>;
export type SessionUser = Static<typeof SessionUser>;
export type SessionTenant = Static<typeof SessionTenant>;
export type Session = Static<typeof Session>;
export type SignInBody = Static<typeof SignInBody>;
export type SwitchTenantBody = Static<typeof SwitchTenantBody>;
export type LinkBody = Static<typeof LinkBody>;
export type LinkInfo = Static<typeof LinkInfo>;
export type FollowLinkBody = Static<typeof FollowLinkBody>;
export type TotpSetup = Static<typeof TotpSetup>;
export type TotpEnableBody = Static<typeof TotpEnableBody>;
export type RecoveryCodes = Static<typeof RecoveryCodes>;
export type TotpDisableBody = Static<typeof TotpDisableBody>;
export type Account = Static<typeof Account>;
export type AccountPatchBody = Static<typeof AccountPatchBody>;
export type TeamMember = Static<typeof TeamMember>;
export type Invitation = Static<typeof Invitation>;
export type Team = Static<typeof Team>;
export type InviteBody = Static<typeof InviteBody>;
export type InvitationCreated = Static<typeof InvitationCreated>;
export type MemberPatchBody = Static<typeof MemberPatchBody>;
export type ResetLink = Static<typeof ResetLink>;
export type ApiKeyScope = Static<typeof ApiKeyScope>;
export type ApiKey = Static<typeof ApiKey>;
export type ApiKeyCreateBody = Static<typeof ApiKeyCreateBody>;
export type ApiKeyCreated = Static<typeof ApiKeyCreated>;
export type ApiKeyList = Static<typeof ApiKeyList>;
export type ApiError = Static<typeof ApiError>;
