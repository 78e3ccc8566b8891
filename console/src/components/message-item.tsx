import type { ConsoleMessage } from '../../../server/protocol/console-inbox.ts';
import { link, Markdown } from '../../../widget/src/markdown.tsx';
import { useServices } from '../services.ts';
import { formatDateTime } from './time.ts';

/**
 * One message. Its text goes through the widget's safe markdown, which builds elements and
 * never HTML, so a customer's script stays text. A bot answer shows its intent, confidence and
 * sources; a reply to WhatsApp or Instagram shows how far it got.
 */
export function MessageItem({
  message,
  onResend,
}: {
  message: ConsoleMessage;
  /** Offered on a refused reply when the tenant has a template now. */
  onResend?: ((message: ConsoleMessage) => void) | undefined;
}) {
  const { prefs } = useServices();
  const t = prefs.t;
  const who =
    message.role === 'user'
      ? t.visitor
      : message.role === 'assistant'
        ? t.bot
        : message.role === 'note'
          ? `${t.note} · ${message.author?.name ?? ''}`
          : message.role === 'agent'
            ? (message.author?.name ?? t.you)
            : t.system;
  const { bot, delivery } = message;
  return (
    <li class={`msg ${message.role}`}>
      <div class="msg-head">
        <span>{who}</span>
        <time dateTime={message.createdAt}>{formatDateTime(message.createdAt, prefs.lang.value)}</time>
      </div>
      {message.role === 'system' ? <span>{message.text}</span> : <Markdown text={message.text} />}
      {bot && (
        <div class="msg-meta">
          {bot.intent && (
            <span>
              {t.intent}: {bot.intent}
              {bot.intentConfidence !== null && ` (${t.confidence} ${bot.intentConfidence.toFixed(2)})`}
            </span>
          )}
          {bot.retrievalScore !== null && (
            <span>
              {' '}
              · {t.relevance} {bot.retrievalScore.toFixed(2)}
            </span>
          )}
          {bot.abstained && <div>{t.abstained}</div>}
        </div>
      )}
      {message.citations.length > 0 && (
        <div class="msg-meta">
          {t.sources}:
          <ul>
            {message.citations.map((citation, i) => (
              <li key={i}>{citation.url ? link(citation.url, citation.title) : citation.title}</li>
            ))}
          </ul>
        </div>
      )}
      {delivery && (
        <div
          class={
            delivery.status === 'refused' || delivery.status === 'failed' ? 'msg-meta refused' : 'msg-meta'
          }
        >
          {t.delivery[delivery.status]}
          {delivery.sentAs === 'template' && ` · ${t.sentAsTemplate}`}
          {delivery.detail && <div>{delivery.detail}</div>}
          {delivery.status === 'refused' && onResend && (
            <div>
              <button type="button" onClick={() => onResend(message)}>
                {t.sendAgain}
              </button>
            </div>
          )}
        </div>
      )}
    </li>
  );
}
