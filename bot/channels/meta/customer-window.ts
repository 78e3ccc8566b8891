import type { MessageRole } from '../../conversation/conversation-store.ts';
import type { MetaPlatform } from './social-account-store.ts';

/** Free-form messages are allowed for 24 hours after the customer's latest message. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;
/** Instagram's HUMAN_AGENT tag lets a person answer for 7 days. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export interface WhatsAppTemplate {
  name: string;
  language: string;
  /** The template's body has one parameter, {{1}}, that receives the reply's text. */
  textParameter: boolean;
}

export interface WindowSettings {
  whatsappTemplate: WhatsAppTemplate | undefined;
  instagramHumanAgent: boolean;
}

export type SendMode =
  | { kind: 'free' }
  | { kind: 'template'; template: WhatsAppTemplate }
  | { kind: 'human_agent' }
  | { kind: 'refused'; reason: RefusalReason; detail: string };

export type RefusalReason = 'outside_window' | 'no_customer_message';

/**
 * How a message may go out, given when the customer last wrote. Inside 24 hours anything goes.
 * After that WhatsApp takes only a pre-approved template (the tenant's, if configured), and
 * Instagram lets a human, not the bot, answer with the HUMAN_AGENT tag for 7 days. Otherwise the
 * send is refused, with a reason the operator can read.
 */
export function decideSendMode(input: {
  platform: MetaPlatform;
  role: MessageRole;
  lastInboundAt: Date | null;
  now: Date;
  settings: WindowSettings;
}): SendMode {
  const { platform, role, lastInboundAt, now, settings } = input;
  if (!lastInboundAt) {
    return {
      kind: 'refused',
      reason: 'no_customer_message',
      detail: 'The customer has never written on this channel, so Meta allows no message to them yet.',
    };
  }
  const age = now.getTime() - lastInboundAt.getTime();
  if (age < SERVICE_WINDOW_MS) return { kind: 'free' };
  const hours = Math.floor(age / 3_600_000);
  if (platform === 'whatsapp') {
    if (settings.whatsappTemplate) return { kind: 'template', template: settings.whatsappTemplate };
    return {
      kind: 'refused',
      reason: 'outside_window',
      detail: `The customer last wrote ${hours} hours ago. WhatsApp allows only a pre-approved template after 24 hours, and no template is configured for this tenant (PATCH /api/v1/channel-settings).`,
    };
  }
  if (role === 'agent' && settings.instagramHumanAgent && age < HUMAN_AGENT_WINDOW_MS) {
    return { kind: 'human_agent' };
  }
  return {
    kind: 'refused',
    reason: 'outside_window',
    detail:
      role === 'agent'
        ? `The customer last wrote ${hours} hours ago. Instagram lets a person answer for 7 days (HUMAN_AGENT tag)${settings.instagramHumanAgent ? '' : ', but this tenant has not enabled it'}; after that only the customer can restart the conversation.`
        : `The customer last wrote ${hours} hours ago. Instagram allows automated answers only within 24 hours.`,
  };
}
