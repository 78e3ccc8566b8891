import Type, { type Static } from 'typebox';

/**
 * The widget protocol, version 1: one JSON object per websocket text frame, told apart by `type`.
 * README.md beside this file documents every frame and error. The widget imports the types only.
 */
export const PROTOCOL_VERSION = 1;

const ClientId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' });
const Seq = Type.Integer({ minimum: 0, maximum: 2_147_483_647 });

// Client → server

/** Who the site says the visitor is (window.Causette.identify). */
const IdentityFields = {
  /** The site's own id for the user. */
  userId: Type.String({ minLength: 1, maxLength: 200 }),
  /** HMAC-SHA256(userId, tenant identity secret) in hex, computed by the site's server. */
  hash: Type.Optional(Type.String({ maxLength: 128 })),
  name: Type.Optional(Type.String({ maxLength: 255 })),
  email: Type.Optional(Type.String({ maxLength: 255 })),
};

export const Identity = Type.Object(IdentityFields, { additionalProperties: false });

export const HelloFrame = Type.Object(
  {
    type: Type.Literal('hello'),
    /** The visitor token from an earlier welcome; absent on a first visit. */
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    /**
     * The highest seq this client has; everything after it is sent again. Absent or 0: the
     * conversation's newest messages (up to the history limit) are sent.
     */
    lastSeq: Type.Optional(Seq),
    /** Identify in the same round trip as the hello. */
    identity: Type.Optional(Identity),
  },
  { additionalProperties: false },
);

export const IdentifyFrame = Type.Object(
  { type: Type.Literal('identify'), ...IdentityFields },
  { additionalProperties: false },
);

export const SendMessageFrame = Type.Object(
  {
    type: Type.Literal('message'),
    /** Chosen by the client, unique per message; a resend with the same id is stored once. */
    clientId: ClientId,
    text: Type.String({ minLength: 1 }),
  },
  { additionalProperties: false },
);

export const AckFrame = Type.Object({ type: Type.Literal('ack'), seq: Seq }, { additionalProperties: false });

export const PingFrame = Type.Object({ type: Type.Literal('ping') }, { additionalProperties: false });

export const clientFrameSchemas = {
  hello: HelloFrame,
  message: SendMessageFrame,
  ack: AckFrame,
  ping: PingFrame,
  identify: IdentifyFrame,
} as const;

export type Identity = Static<typeof Identity>;
export type HelloFrame = Static<typeof HelloFrame>;
export type SendMessageFrame = Static<typeof SendMessageFrame>;
export type AckFrame = Static<typeof AckFrame>;
export type PingFrame = Static<typeof PingFrame>;
export type IdentifyFrame = Static<typeof IdentifyFrame>;
export type ClientFrame = HelloFrame | SendMessageFrame | AckFrame | PingFrame | IdentifyFrame;

// Server → client

export interface WireCitation {
  title: string;
  url?: string;
  filename?: string;
}

export type WireRole = 'user' | 'assistant' | 'agent' | 'system';

export interface WireMessage {
  id: string;
  seq: number;
  role: WireRole;
  text: string;
  /** ISO 8601. */
  createdAt: string;
  clientId?: string;
  citations?: WireCitation[];
  /** On a bot reply: the stream its deltas were sent under, so the client can replace them. */
  streamId?: string;
}

export type ErrorCode =
  | 'bad_json'
  | 'unknown_type'
  | 'invalid_frame'
  | 'frame_too_large'
  | 'binary_not_supported'
  | 'hello_required'
  | 'already_greeted'
  | 'invalid_token'
  | 'empty_message'
  | 'rate_limited'
  | 'identity_unverified'
  | 'internal_error';

export type ServerFrame =
  | {
      type: 'welcome';
      protocol: number;
      token: string;
      visitorId: string;
      conversationId: string;
      /** The conversation's newest seq when the session began. */
      lastSeq: number;
      /** Set when the visitor is a verified user of the site (identify with a valid hash). */
      userId?: string;
    }
  | { type: 'message'; message: WireMessage }
  | { type: 'ack'; clientId: string; seq: number; id: string; duplicate: boolean }
  | { type: 'typing'; active: boolean }
  /** A piece of a reply being written; `offset` is where `text` starts in the whole reply. */
  | { type: 'delta'; streamId: string; text: string; offset: number }
  | { type: 'pong' }
  /** The answer to identify (or to a hello's identity) that was accepted. */
  | { type: 'identified'; userId: string; verified: boolean }
  | {
      type: 'error';
      code: ErrorCode;
      message: string;
      clientId?: string;
      /** With rate_limited: when to try again. */
      retryAfterMs?: number;
    }
  | { type: 'bye'; reason: 'shutdown' };
