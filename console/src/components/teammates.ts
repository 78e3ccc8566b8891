import { useEffect } from 'preact/hooks';
import type { TeammateList } from '../../../server/protocol/console-inbox.ts';
import { useInbox } from '../services.ts';

/** The tenant's teammates, for assigning and filtering; read once per tenant. */
export function useTeammates(): TeammateList['items'] {
  const inbox = useInbox();
  useEffect(() => inbox.loadTeammates(), []);
  return inbox.teammates.value ?? [];
}
