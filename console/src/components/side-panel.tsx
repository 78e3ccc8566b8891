import { link } from '../../../widget/src/markdown.tsx';
import { formatRoute } from '../routes.ts';
import { useInbox, useServices } from '../services.ts';
import { formatTime } from './time.ts';

/**
 * Who the customer is and what Causette knows: channel and ids, whether the site verified them,
 * the page they are on, language, the lead and its signals, past conversations. All of it was
 * written by the customer, their channel or the site: text only, links only to http(s).
 */
export function SidePanel() {
  const { prefs, router } = useServices();
  const inbox = useInbox();
  const t = prefs.t;
  const context = inbox.context.value;
  const presence = inbox.presence.value;
  const route = router.route.value;
  if (!context) {
    return (
      <aside class="side" aria-label={t.details}>
        <p role="status" class="muted">
          {t.loading}
        </p>
      </aside>
    );
  }
  const { contact, lead } = context;
  const page = presence?.visitor.page ?? context.visitor.page;
  const online = presence?.visitor.online ?? context.visitor.online;
  const filter = route.name === 'inbox' ? route.filter : { view: 'all' as const };
  return (
    <aside class="side" aria-label={t.details}>
      <h3>{t.contact}</h3>
      <dl>
        <dt>{t.name}</dt>
        <dd>{contact.name ?? '—'}</dd>
        {contact.email && (
          <>
            <dt>{t.email}</dt>
            <dd>{contact.email}</dd>
          </>
        )}
        {contact.phone && (
          <>
            <dt>{t.phone}</dt>
            <dd>{contact.phone}</dd>
          </>
        )}
        <dt>{t.channel}</dt>
        <dd>
          {t.channels[context.channel]}
          {context.account && ` · ${context.account.name}`}
        </dd>
        <dt>{t.channelId}</dt>
        <dd>{contact.channelId}</dd>
        {contact.externalId && (
          <>
            <dt>{t.siteUserId}</dt>
            <dd>{contact.externalId}</dd>
          </>
        )}
        <dt>{t.verified}</dt>
        <dd>{contact.verified ? t.verified : t.unverified}</dd>
        {context.channel === 'widget' && (
          <>
            <dt>{t.status}</dt>
            <dd>{online ? t.online : t.offline}</dd>
            <dt>{t.currentPage}</dt>
            <dd>{page ? link(page.url, page.title || page.url) : '—'}</dd>
          </>
        )}
        <dt>{t.language}</dt>
        <dd>{context.language ?? '—'}</dd>
      </dl>
      {inbox.thread.value?.escalation && (
        <>
          <h3>{t.whyEscalated}</h3>
          <p>
            <strong>
              {t.escalationReasons[inbox.thread.value.escalation.reason] ??
                inbox.thread.value.escalation.reason}
            </strong>
          </p>
          {inbox.thread.value.escalation.summary && <p>{inbox.thread.value.escalation.summary}</p>}
        </>
      )}
      <h3>{t.lead}</h3>
      {lead ? (
        <dl>
          <dt>{t.score}</dt>
          <dd>
            {lead.temperature ?? '—'} {lead.score !== null && `(${lead.score})`}
          </dd>
          <dt>{t.status}</dt>
          <dd>{lead.status}</dd>
          {lead.signals.map((signal) => (
            <>
              <dt key={`${signal.label}-t`}>{signal.label}</dt>
              <dd key={`${signal.label}-d`}>{signal.value}</dd>
            </>
          ))}
          {lead.reasoning && (
            <>
              <dt>{t.signals}</dt>
              <dd>{lead.reasoning}</dd>
            </>
          )}
        </dl>
      ) : (
        <p class="muted">{t.none}</p>
      )}
      <h3>{t.pastConversations}</h3>
      {context.past.length === 0 ? (
        <p class="muted">{t.none}</p>
      ) : (
        <ul>
          {context.past.map((past) => {
            const target = { name: 'inbox' as const, filter, conversationId: past.id };
            return (
              <li key={past.id}>
                <a href={formatRoute(target)} onClick={(event) => router.follow(event, target)}>
                  {formatTime(past.lastActivityAt, prefs.lang.value)} · {t.channels[past.channel]} ·{' '}
                  {t.statuses[past.status]}
                </a>
                {past.lastMessage && <div class="muted">{past.lastMessage}</div>}
              </li>
            );
          })}
        </ul>
      )}
    </aside>
  );
}
