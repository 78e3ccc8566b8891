import { tool } from 'langchain';
import { z } from 'zod';
import { businessInfoText } from '../../tenants/business-info.ts';
import type { TurnScope } from './turn-scope.ts';

/** Opening and support hours, address and contact details, from the tenant's profile. */
export function businessInfoTool(scope: TurnScope) {
  return tool(
    async () => {
      scope.outcome.toolCalls.push('business_info');
      return (
        businessInfoText(scope.tenant, scope.profile, scope.lang) ??
        'The business has not given its hours, address or contact details. Offer a person of the team instead.'
      );
    },
    {
      name: 'business_info',
      description: "The business's opening hours, customer service hours, address, phone and email.",
      schema: z.object({}),
    },
  );
}
