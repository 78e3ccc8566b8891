import { useEffect, useState } from 'preact/hooks';
import type { Channel, ConversationStatus } from '../../../server/protocol/console-inbox.ts';
import type { ListFilter } from '../inbox-rules.ts';
import { useServices } from '../services.ts';
import { useTeammates } from './teammates.ts';

const STATUSES: ConversationStatus[] = ['open', 'waiting', 'human', 'resolved'];
const CHANNELS: Channel[] = ['widget', 'whatsapp', 'instagram'];

/** Status, channel, assignee and the search, all kept in the URL. */
export function Filters({
  filter,
  onChange,
}: {
  filter: ListFilter;
  onChange: (filter: ListFilter) => void;
}) {
  const t = useServices().prefs.t;
  const teammates = useTeammates();
  const [q, setQ] = useState(filter.q ?? '');
  useEffect(() => setQ(filter.q ?? ''), [filter.q]);
  const set = (patch: { [K in keyof ListFilter]?: ListFilter[K] | undefined }) => {
    const merged = { ...filter, ...patch };
    const next: ListFilter = { view: merged.view ?? filter.view };
    if (merged.status) next.status = merged.status;
    if (merged.channel) next.channel = merged.channel;
    if (merged.assignee) next.assignee = merged.assignee;
    if (merged.q) next.q = merged.q;
    onChange(next);
  };
  return (
    <search>
      <form
        class="filters"
        aria-label={t.filters}
        onSubmit={(event) => {
          event.preventDefault();
          set({ q: q.trim() || undefined });
        }}
      >
        <label class="visually-hidden" for="inbox-search">
          {t.search}
        </label>
        <input
          id="inbox-search"
          type="search"
          placeholder={t.search}
          value={q}
          maxLength={200}
          onInput={(e) => setQ(e.currentTarget.value)}
        />
        <div class="row">
          <select
            aria-label={t.status}
            value={filter.status ?? ''}
            onChange={(e) =>
              set({ status: (e.currentTarget.value || undefined) as ConversationStatus | undefined })
            }
          >
            <option value="">{t.anyStatus}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t.statuses[status]}
              </option>
            ))}
          </select>
          <select
            aria-label={t.channel}
            value={filter.channel ?? ''}
            onChange={(e) => set({ channel: (e.currentTarget.value || undefined) as Channel | undefined })}
          >
            <option value="">{t.anyChannel}</option>
            {CHANNELS.map((channel) => (
              <option key={channel} value={channel}>
                {t.channels[channel]}
              </option>
            ))}
          </select>
          <select
            aria-label={t.assignee}
            value={filter.assignee ?? ''}
            onChange={(e) => set({ assignee: e.currentTarget.value || undefined })}
          >
            <option value="">{t.anyAssignee}</option>
            {teammates.map((mate) => (
              <option key={mate.id} value={mate.id}>
                {mate.name}
              </option>
            ))}
          </select>
        </div>
      </form>
    </search>
  );
}
