import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * Instagram messaging webhook items (Messenger API for Instagram and Instagram Login alike). Open
 * objects: only what Causette reads is described.
 */
const Id = Type.String({ minLength: 1, maxLength: 512 });

export const InstagramAttachment = Type.Object({
  type: Type.String({ maxLength: 64 }),
  payload: Type.Optional(
    Type.Object({
      url: Type.Optional(Type.String()),
      title: Type.Optional(Type.String()),
      reel_video_id: Type.Optional(Type.Union([Type.String(), Type.Number()])),
    }),
  ),
});

export const InstagramMessage = Type.Object({
  mid: Id,
  text: Type.Optional(Type.String()),
  is_echo: Type.Optional(Type.Boolean()),
  is_deleted: Type.Optional(Type.Boolean()),
  is_unsupported: Type.Optional(Type.Boolean()),
  attachments: Type.Optional(Type.Array(InstagramAttachment)),
  quick_reply: Type.Optional(Type.Object({ payload: Type.String() })),
  reply_to: Type.Optional(
    Type.Object({
      mid: Type.Optional(Type.String()),
      story: Type.Optional(
        Type.Object({ id: Type.Optional(Type.String()), url: Type.Optional(Type.String()) }),
      ),
    }),
  ),
});
export type InstagramMessage = Static<typeof InstagramMessage>;

export const InstagramMessaging = Type.Object({
  sender: Type.Object({ id: Id }),
  recipient: Type.Object({ id: Id }),
  timestamp: Type.Optional(Type.Union([Type.Number(), Type.String({ maxLength: 20 })])),
  message: Type.Optional(InstagramMessage),
  postback: Type.Optional(
    Type.Object({
      mid: Type.Optional(Id),
      title: Type.Optional(Type.String()),
      payload: Type.Optional(Type.String()),
    }),
  ),
  reaction: Type.Optional(
    Type.Object({
      mid: Id,
      action: Type.String(),
      reaction: Type.Optional(Type.String()),
      emoji: Type.Optional(Type.String()),
    }),
  ),
  read: Type.Optional(Type.Object({ mid: Type.Optional(Id), watermark: Type.Optional(Type.Number()) })),
  referral: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
});
export type InstagramMessaging = Static<typeof InstagramMessaging>;

export const InstagramChange = Type.Object({ field: Type.String({ maxLength: 128 }), value: Type.Unknown() });

export const checkMessaging = Compile(InstagramMessaging);
export const checkChange = Compile(InstagramChange);
