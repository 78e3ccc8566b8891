import Type, { type Static } from 'typebox';
import { AdminCommand, ProgressSnapshot } from '../admin-commands/admin-commands.ts';

/**
 * The control socket's messages, one JSON line each. In: one request. Out: for a request that
 * asks for progress, any number of progress lines while the command runs; then one answer, whose
 * result the CLI checks against the command's own result schema.
 */
export const ControlRequest = Type.Object({ command: AdminCommand, progress: Type.Boolean() });
export type ControlRequest = Static<typeof ControlRequest>;

export const ProgressLine = Type.Object({ progress: ProgressSnapshot });

export const ControlAnswer = Type.Union([
  Type.Object({ ok: Type.Literal(true), result: Type.Unknown() }),
  Type.Object({ ok: Type.Literal(false), error: Type.String() }),
]);
export type ControlAnswer = Static<typeof ControlAnswer>;
