import { tool } from 'langchain';
import { z } from 'zod';
import type { Db } from '../../../db/database.ts';
import { withTenant } from '../../../db/tenant-scope.ts';
import { getConversation } from '../../conversation/conversation-store.ts';
import { getLeadOfConversation } from '../../leads/lead-store.ts';
import { offerMeeting } from '../../meetings/meeting-store.ts';
import type { TurnScope } from './turn-scope.ts';

/**
 * Offers the tenant's Cal.com booking page (with the customer's name and email filled in when
 * known) and records the offer as a meeting; without a booking page, says so, so that the model
 * offers to take contact details instead.
 */
export function bookMeetingTool(db: Db, scope: TurnScope) {
  return tool(
    async () => {
      scope.outcome.toolCalls.push('book_meeting');
      const calcomUrl = scope.profile?.calcomUrl;
      if (!calcomUrl) {
        return 'Online booking is not available. Offer to take the customer’s contact details (capture_lead) so that the team arranges a meeting.';
      }
      const meeting = await withTenant(db, scope.tenantId, async (tx) => {
        const conversation = await getConversation(tx, scope.conversationId);
        const lead = await getLeadOfConversation(tx, scope.conversationId);
        return offerMeeting(tx, {
          tenantId: scope.tenantId,
          conversationId: scope.conversationId,
          userId: conversation?.userId ?? 'unknown',
          calcomUrl,
          name: lead?.name,
          email: lead?.email,
        });
      });
      scope.outcome.meetingId = meeting.id;
      return `Booking link: ${meeting.meetingUrl}\nGive the customer this exact link to choose a time.`;
    },
    {
      name: 'book_meeting',
      description: 'Gets the link where the customer books a meeting, a call or a demo with the team.',
      schema: z.object({}),
    },
  );
}
