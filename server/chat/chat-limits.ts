/** Limits of the widget socket; every one has a default (see server/config.ts for the env names). */
export interface ChatLimits {
  /** Sockets held at once; beyond, the handshake is refused with 503. */
  maxSockets: number;
  /** Messages per visitor per minute (all of the visitor's sockets together)... */
  messagesPerMinute: number;
  /** ...with bursts of this many. */
  messageBurst: number;
  /** Frames of any kind per socket per second, with bursts of twice as many. */
  framesPerSecond: number;
  /** Hellos whose database work runs at once; the rest queue (a reconnect storm)... */
  helloConcurrency: number;
  /** ...up to this many; beyond, a hello is refused at once (close 1013) and the widget retries later. */
  maxPendingHellos: number;
  /** Bytes queued for a socket that does not read, beyond which it is closed. */
  maxBufferedBytes: number;
  /** Handshakes per client address per minute; beyond, refused with 429 before the upgrade. */
  handshakesPerMinute: number;
}

export const DEFAULT_CHAT_LIMITS: ChatLimits = {
  maxSockets: 20_000,
  messagesPerMinute: 30,
  messageBurst: 10,
  framesPerSecond: 20,
  helloConcurrency: 4,
  maxPendingHellos: 1_000,
  maxBufferedBytes: 1024 * 1024,
  handshakesPerMinute: 120,
};

/** Largest widget text frame accepted, in bytes. */
export const DEFAULT_MAX_FRAME_BYTES = 4096;
