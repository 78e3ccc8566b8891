import type { Notification } from './notification-store.ts';

/** The subject and text of a notification's email, from its stored payload. */
export function renderNotificationEmail(notification: Notification): { subject: string; text: string } {
  const p = notification.payload;
  const text = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : '');
  switch (notification.event) {
    case 'escalation.created': {
      const lines = [
        `A conversation needs a person (${text('reason') || 'escalation'}).`,
        '',
        `Summary: ${text('summary') || '(none)'}`,
        `Channel: ${text('channel')}`,
        `Conversation: ${text('conversation_id')}`,
        `Escalation: ${text('escalation_id')}`,
      ];
      const last = text('last_message');
      if (last) lines.push('', 'Last customer message:', `> ${last.replace(/\n/g, '\n> ')}`);
      lines.push('', 'Take it through the API: POST /api/v1/escalations/<escalation>/take');
      return {
        subject: `[${text('tenant_name') || 'Causette'}] Conversation escalated: ${text('reason')}`,
        text: lines.join('\n'),
      };
    }
    case 'lead.hot':
      return {
        subject: `[${text('tenant_name') || 'Causette'}] Hot lead: ${text('name') || text('email') || 'new lead'}`,
        text: [
          `A lead scored ${text('score')} (${String(p['score_value'] ?? '')}/100).`,
          '',
          `Name: ${text('name')}`,
          `Email: ${text('email')}`,
          `Phone: ${text('phone')}`,
          `Company: ${text('company')}`,
          `Need: ${text('need')}`,
          `Why: ${text('reasoning')}`,
        ].join('\n'),
      };
    default:
      return { subject: `[Causette] ${notification.event}`, text: JSON.stringify(p, null, 2) };
  }
}
