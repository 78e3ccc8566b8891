/** The slice of pino's interface that knowledge/ logs through; pino loggers satisfy it. */
export interface KnowledgeLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export const silentKnowledgeLogger: KnowledgeLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
