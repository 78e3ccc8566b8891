import { tool } from 'langchain';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { countryOfTimeZone, type LeadDetails } from '../../leads/extract-lead.ts';
import type { LeadTracker } from '../../leads/lead-tracker.ts';
import type { TurnScope } from './turn-scope.ts';

// Models send "" or "unknown" for what they do not have; both mean absent.
const optionalText = (max: number) =>
  z
    .string()
    .max(max)
    .nullish()
    .transform((value) => {
      const text = value?.trim();
      return text && !/^(unknown|n\/a|none|null|inconnu)$/i.test(text) ? text : undefined;
    });

const EMAIL = z.email();

/**
 * Records the contact details and need the customer gave, through the lead tracker (which
 * rescores the lead and tells the team when it turns hot). Details are checked, not trusted: an
 * email must parse, a phone number must be valid for the tenant's country or in international form.
 */
export function captureLeadTool(leads: LeadTracker, scope: TurnScope) {
  return tool(
    async (input) => {
      scope.outcome.toolCalls.push('capture_lead');
      const details: LeadDetails = {};
      const problems: string[] = [];
      if (input.name) details.name = input.name;
      if (input.company) details.company = input.company;
      if (input.email) {
        if (EMAIL.safeParse(input.email).success) details.email = input.email;
        else problems.push('the email address does not look valid');
      }
      if (input.phone) {
        const country = countryOfTimeZone(scope.profile?.timezone, scope.profile?.language);
        const phone = parsePhoneNumberFromString(input.phone, country);
        if (phone?.isValid()) details.phone = phone.number;
        else problems.push('the phone number does not look valid');
      }
      if (Object.keys(details).length === 0 && !input.need) {
        return `Nothing was saved${problems.length ? `: ${problems.join('; ')}` : ''}. Ask the customer for an email address or a phone number.`;
      }
      const lead = await leads.capture({
        tenantId: scope.tenantId,
        conversationId: scope.conversationId,
        details,
        need: input.need ?? null,
      });
      scope.outcome.leadId = lead.id;
      const saved = [...Object.keys(details), ...(input.need ? ['need'] : [])].join(', ');
      const warning = problems.length ? ` Not saved: ${problems.join('; ')}; ask the customer to check.` : '';
      return `Saved (${saved}). Thank the customer and tell them the team will get back to them.${warning}`;
    },
    {
      name: 'capture_lead',
      description:
        'Saves the contact details and need of a customer who wants to be contacted, to buy or to get a quote. Give only what the customer wrote.',
      schema: z.object({
        name: optionalText(255),
        email: optionalText(255),
        phone: optionalText(50),
        company: optionalText(255),
        need: optionalText(2000).describe('What they want, in their words'),
      }),
    },
  );
}
