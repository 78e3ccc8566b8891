import Type, { type Static } from 'typebox';

const Hhmm = Type.String({ pattern: '^\\d{2}:\\d{2}$' });

/** When humans answer, in the business's time zone; an absent or empty day is closed. */
export const PublicBusinessHours = Type.Object({
  timezone: Type.String(),
  weekly: Type.Record(Type.String(), Type.Array(Type.Tuple([Hhmm, Hhmm]))),
});

/**
 * GET /widget/config/:slug: everything the widget needs to draw itself. Public and cacheable; the
 * widget imports the type only. `textColor` is already the readable one for `primaryColor`.
 */
export const PublicWidgetConfig = Type.Object({
  name: Type.String(),
  primaryColor: Type.String(),
  textColor: Type.String(),
  position: Type.Union([Type.Literal('right'), Type.Literal('left')]),
  greeting: Type.Union([Type.String(), Type.Null()]),
  /** The language the greeting is written in, when it tells: a visitor of another sees the widget's own. */
  greetingLang: Type.Union([Type.Literal('fr'), Type.Literal('en'), Type.Null()]),
  launcherLabel: Type.Union([Type.String(), Type.Null()]),
  language: Type.Union([Type.Literal('auto'), Type.Literal('fr'), Type.Literal('en')]),
  avatarUrl: Type.Union([Type.String(), Type.Null()]),
  /** Null when the tenant hides its hours or has none. */
  hours: Type.Union([PublicBusinessHours, Type.Null()]),
  /** Whether identify() needs a valid hash (the widget says so in the console when it is missing). */
  identityVerification: Type.Boolean(),
});

export type PublicWidgetConfig = Static<typeof PublicWidgetConfig>;
export type PublicBusinessHours = Static<typeof PublicBusinessHours>;
