import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyPluginAsync } from 'fastify';
import Type from 'typebox';
import {
  getBusinessProfile,
  getTenant,
  getWidgetConfig,
  updateBusinessProfile,
  updateTenant,
  updateWidgetConfig,
} from '../../../bot/tenants/tenant-store.ts';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { Errors } from '../../errors.ts';
import type { TenantDirectory } from '../../tenant-directory.ts';
import { DateTime, Nullable } from './common-schemas.ts';

const Color = Type.String({ pattern: '^#[0-9a-fA-F]{6}$' });
const Email = Type.String({ format: 'email', maxLength: 255 });
const HttpUrl = Type.String({ pattern: '^https?://', maxLength: 500 });
const Origin = Type.String({ pattern: '^https?://[^/\\s]+$', maxLength: 200 });
const Time = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$' });
const DayRanges = Type.Optional(Type.Array(Type.Tuple([Time, Time]), { maxItems: 4 }));
/** Opening ranges per weekday, e.g. { "tue": [["10:00", "19:00"]] }; a day left out is closed. */
const Hours = Type.Object(
  {
    mon: DayRanges,
    tue: DayRanges,
    wed: DayRanges,
    thu: DayRanges,
    fri: DayRanges,
    sat: DayRanges,
    sun: DayRanges,
  },
  { additionalProperties: false },
);

const Tenant = Type.Object({
  id: Type.String(),
  slug: Type.String(),
  name: Type.String(),
  websiteUrl: Nullable(Type.String()),
  contactEmail: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
});
const TenantPatch = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    websiteUrl: Type.Optional(Nullable(HttpUrl)),
    contactEmail: Type.Optional(Nullable(Email)),
  },
  { additionalProperties: false },
);

const WidgetConfig = Type.Object({
  primaryColor: Type.String(),
  textColor: Type.String(),
  position: Type.String(),
  greeting: Nullable(Type.String()),
  launcherLabel: Nullable(Type.String()),
  language: Type.String(),
  allowedOrigins: Type.Array(Type.String()),
  avatarUrl: Nullable(Type.String()),
  showBusinessHours: Type.Boolean(),
  identityVerification: Type.Boolean(),
  /** Whether an identity secret exists (it is shown once, when generated). */
  identitySecretSet: Type.Boolean(),
  updatedAt: DateTime,
});
const WidgetConfigPatch = Type.Object(
  {
    primaryColor: Type.Optional(Color),
    textColor: Type.Optional(Color),
    position: Type.Optional(Type.Union([Type.Literal('right'), Type.Literal('left')])),
    greeting: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    launcherLabel: Type.Optional(Nullable(Type.String({ maxLength: 60 }))),
    language: Type.Optional(Type.Union([Type.Literal('auto'), Type.Literal('fr'), Type.Literal('en')])),
    allowedOrigins: Type.Optional(Type.Array(Origin, { maxItems: 50 })),
    avatarUrl: Type.Optional(Nullable(HttpUrl)),
    showBusinessHours: Type.Optional(Type.Boolean()),
    /** Needs an identity secret (POST /widget-config/identity-secret) first. */
    identityVerification: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

const BusinessProfile = Type.Object({
  description: Nullable(Type.String()),
  language: Type.String(),
  tone: Nullable(Type.String()),
  timezone: Type.String(),
  openingHours: Type.Record(Type.String(), Type.Array(Type.Array(Type.String()))),
  supportHours: Type.Record(Type.String(), Type.Array(Type.Array(Type.String()))),
  address: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  escalationEmail: Nullable(Type.String()),
  calcomUrl: Nullable(Type.String()),
  updatedAt: DateTime,
});
const BusinessProfilePatch = Type.Object(
  {
    description: Type.Optional(Nullable(Type.String({ maxLength: 5000 }))),
    language: Type.Optional(Type.Union([Type.Literal('fr'), Type.Literal('en')])),
    tone: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    openingHours: Type.Optional(Hours),
    supportHours: Type.Optional(Hours),
    address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    email: Type.Optional(Nullable(Email)),
    escalationEmail: Type.Optional(Nullable(Email)),
    calcomUrl: Type.Optional(Nullable(HttpUrl)),
  },
  { additionalProperties: false },
);

/** The tenant's profile, its widget settings and its business profile. */
export const tenantRoutes: FastifyPluginAsync<{ db: Db; tenants: TenantDirectory }> = async (
  base,
  { db, tenants },
) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/tenant',
    {
      schema: {
        tags: ['Tenant'],
        summary: 'Read the tenant',
        description: 'The tenant the API key belongs to: its slug, name, website and contact e-mail.',
        response: { 200: Tenant },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      const tenant = await withTenant(db, tenantId, (tx) => getTenant(tx, tenantId));
      if (!tenant) throw new Errors.NotFound('Tenant');
      return tenant;
    },
  );

  app.patch(
    '/tenant',
    {
      schema: {
        tags: ['Tenant'],
        summary: 'Update the tenant',
        description:
          'Changes the name, website or contact e-mail. Fields left out are kept; `null` clears one.',
        body: TenantPatch,
        response: { 200: Tenant },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      const tenant = await withTenant(db, tenantId, (tx) => updateTenant(tx, tenantId, request.body));
      if (!tenant) throw new Errors.NotFound('Tenant');
      tenants.forget(tenantId);
      return tenant;
    },
  );

  app.get(
    '/widget-config',
    {
      schema: {
        tags: ['Widget'],
        summary: 'Read the widget settings',
        description:
          "The widget's colours, position, greeting, launcher label, language, allowed origins, avatar, business-hours display and identity verification, and whether an identity secret exists (the secret itself is shown only when it is generated).",
        response: { 200: WidgetConfig },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      const config = await withTenant(db, tenantId, (tx) => getWidgetConfig(tx, tenantId));
      if (!config) throw new Errors.NotFound('Widget configuration');
      return { ...config, identitySecretSet: config.identitySecret !== null };
    },
  );

  app.patch(
    '/widget-config',
    {
      schema: {
        tags: ['Widget'],
        summary: 'Update the widget settings',
        description:
          "Changes the widget's look and rules; visitors see the change within seconds. `allowedOrigins` restricts the sites that may open the chat (empty admits any); `identityVerification` refuses identify() calls without a valid hash.",
        body: WidgetConfigPatch,
        response: { 200: WidgetConfig },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      const config = await withTenant(db, tenantId, async (tx) => {
        if (request.body.identityVerification && !(await getWidgetConfig(tx, tenantId))?.identitySecret) {
          throw new Errors.Conflict(
            'Generate an identity secret (POST /api/v1/widget-config/identity-secret) before turning verification on',
          );
        }
        return updateWidgetConfig(tx, tenantId, request.body);
      });
      if (!config) throw new Errors.NotFound('Widget configuration');
      tenants.forget(tenantId);
      return { ...config, identitySecretSet: config.identitySecret !== null };
    },
  );

  app.get(
    '/business-profile',
    {
      schema: {
        tags: ['Tenant'],
        summary: 'Read the business profile',
        description:
          'What the bot knows about the business: description, tone, language, timezone, opening and support hours, address, phone, e-mails and booking link.',
        response: { 200: BusinessProfile },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      const profile = await withTenant(db, tenantId, (tx) => getBusinessProfile(tx, tenantId));
      if (!profile) throw new Errors.NotFound('Business profile');
      return profile;
    },
  );

  app.patch(
    '/business-profile',
    {
      schema: {
        tags: ['Tenant'],
        summary: 'Update the business profile',
        description:
          'Changes the business profile. Hours are ranges per weekday (`{"tue": [["10:00", "19:00"]]}`); a day left out is closed.',
        body: BusinessProfilePatch,
        response: { 200: BusinessProfile },
      },
    },
    async (request) => {
      const tenantId = request.adminTenantId!;
      const profile = await withTenant(db, tenantId, (tx) =>
        updateBusinessProfile(tx, tenantId, request.body),
      );
      if (!profile) throw new Errors.NotFound('Business profile');
      // The widget shows the support hours.
      tenants.forget(tenantId);
      return profile;
    },
  );
};
