import Type, { type Static } from 'typebox';
import { Compile } from 'typebox/compile';

/**
 * WhatsApp Cloud API webhook payloads, as far as Causette reads them. Objects stay open (Meta adds
 * fields), and everything not needed to route, store or answer is optional.
 */
const Id = Type.String({ minLength: 1, maxLength: 512 });
const Timestamp = Type.Union([Type.String({ maxLength: 20 }), Type.Number()]);

export const WhatsAppError = Type.Object({
  code: Type.Optional(Type.Number()),
  title: Type.Optional(Type.String()),
  message: Type.Optional(Type.String()),
  error_data: Type.Optional(Type.Object({ details: Type.Optional(Type.String()) })),
});

export const WhatsAppContact = Type.Object({
  wa_id: Type.Optional(Type.String({ maxLength: 64 })),
  user_id: Type.Optional(Type.String({ maxLength: 255 })),
  profile: Type.Optional(
    Type.Object({ name: Type.Optional(Type.String()), username: Type.Optional(Type.String()) }),
  ),
});

const Media = Type.Object({
  id: Type.Optional(Type.String()),
  mime_type: Type.Optional(Type.String()),
  sha256: Type.Optional(Type.String()),
  caption: Type.Optional(Type.String()),
  filename: Type.Optional(Type.String()),
  url: Type.Optional(Type.String()),
  voice: Type.Optional(Type.Boolean()),
  animated: Type.Optional(Type.Boolean()),
});

export const WhatsAppMessage = Type.Object({
  id: Id,
  from: Type.Optional(Type.String({ maxLength: 64 })),
  from_user_id: Type.Optional(Type.String({ maxLength: 255 })),
  timestamp: Type.Optional(Timestamp),
  type: Type.Optional(Type.String({ maxLength: 64 })),
  context: Type.Optional(
    Type.Object({
      from: Type.Optional(Type.String()),
      id: Type.Optional(Type.String()),
      forwarded: Type.Optional(Type.Boolean()),
      frequently_forwarded: Type.Optional(Type.Boolean()),
    }),
  ),
  text: Type.Optional(Type.Object({ body: Type.String() })),
  image: Type.Optional(Media),
  video: Type.Optional(Media),
  audio: Type.Optional(Media),
  document: Type.Optional(Media),
  sticker: Type.Optional(Media),
  reaction: Type.Optional(Type.Object({ message_id: Type.String(), emoji: Type.Optional(Type.String()) })),
  interactive: Type.Optional(
    Type.Object({
      type: Type.Optional(Type.String()),
      button_reply: Type.Optional(Type.Object({ id: Type.String(), title: Type.String() })),
      list_reply: Type.Optional(
        Type.Object({ id: Type.String(), title: Type.String(), description: Type.Optional(Type.String()) }),
      ),
      nfm_reply: Type.Optional(
        Type.Object({
          name: Type.Optional(Type.String()),
          body: Type.Optional(Type.String()),
          response_json: Type.Optional(Type.String()),
        }),
      ),
    }),
  ),
  button: Type.Optional(Type.Object({ payload: Type.Optional(Type.String()), text: Type.String() })),
  location: Type.Optional(
    Type.Object({
      latitude: Type.Number(),
      longitude: Type.Number(),
      name: Type.Optional(Type.String()),
      address: Type.Optional(Type.String()),
      url: Type.Optional(Type.String()),
    }),
  ),
  contacts: Type.Optional(Type.Array(Type.Unknown())),
  order: Type.Optional(
    Type.Object({
      catalog_id: Type.Optional(Type.String()),
      text: Type.Optional(Type.String()),
      product_items: Type.Optional(
        Type.Array(
          Type.Object({
            product_retailer_id: Type.String(),
            quantity: Type.Number(),
            item_price: Type.Optional(Type.Number()),
            currency: Type.Optional(Type.String()),
          }),
        ),
      ),
    }),
  ),
  system: Type.Optional(
    Type.Object({
      body: Type.Optional(Type.String()),
      type: Type.Optional(Type.String()),
      wa_id: Type.Optional(Type.String()),
      new_wa_id: Type.Optional(Type.String()),
      user_id: Type.Optional(Type.String()),
    }),
  ),
  referral: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  errors: Type.Optional(Type.Array(WhatsAppError)),
});
export type WhatsAppMessage = Static<typeof WhatsAppMessage>;

export const WhatsAppStatus = Type.Object({
  id: Id,
  status: Type.String({ maxLength: 32 }),
  timestamp: Type.Optional(Timestamp),
  recipient_id: Type.Optional(Type.String()),
  recipient_type: Type.Optional(Type.String()),
  biz_opaque_callback_data: Type.Optional(Type.String()),
  errors: Type.Optional(Type.Array(WhatsAppError)),
});

export const WhatsAppValue = Type.Object({
  messaging_product: Type.Optional(Type.String()),
  metadata: Type.Object({
    phone_number_id: Type.String({ minLength: 1, maxLength: 64 }),
    display_phone_number: Type.Optional(Type.String()),
  }),
  contacts: Type.Optional(Type.Array(WhatsAppContact)),
  messages: Type.Optional(Type.Array(Type.Unknown())),
  statuses: Type.Optional(Type.Array(Type.Unknown())),
  errors: Type.Optional(Type.Array(WhatsAppError)),
});

export const WhatsAppChange = Type.Object({
  field: Type.String({ maxLength: 128 }),
  value: Type.Unknown(),
});

export const checkValue = Compile(WhatsAppValue);
export const checkMessage = Compile(WhatsAppMessage);
export const checkStatus = Compile(WhatsAppStatus);
export const checkChange = Compile(WhatsAppChange);
