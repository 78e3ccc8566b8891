import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { WireMessage } from '../../server/protocol/frames.ts';
import type { PublicWidgetConfig } from '../../server/protocol/widget-config.ts';
import type { ChatState, Connection, Outgoing } from './connection.ts';
import { greetingOf } from './greeting.ts';
import { teamAvailability } from './hours.ts';
import { link, Markdown } from './markdown.tsx';
import type { Strings } from './strings.ts';

export interface ChatAppProps {
  connection: Connection;
  state: ChatState;
  config: PublicWidgetConfig;
  t: Strings;
  open: boolean;
  close: () => void;
}

/** The chat panel: header, message log, connection notice and composer. */
export function ChatApp({ connection, state, config, t, open, close }: ChatAppProps) {
  const [draft, setDraft] = useState('');
  const log = useRef<HTMLDivElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const panel = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);

  // A layout effect, so the focus is in the panel before the browser paints it: keys typed
  // right after the click land in the composer instead of on the launcher.
  useLayoutEffect(() => {
    if (!open) return;
    // On a phone the keyboard would cover half the conversation: focus the dialog itself there.
    if (matchMedia('(pointer:coarse)').matches) panel.current?.focus();
    else input.current?.focus();
  }, [open]);
  // Follow the conversation while the visitor is at the bottom of it, not while they scroll back.
  useLayoutEffect(() => {
    if (pinned.current) log.current?.scrollTo(0, log.current.scrollHeight);
  }, [state, open]);

  const submit = (event: Event) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    connection.send(text);
    setDraft('');
    pinned.current = true;
  };
  // Escape is the loader's (widget/src/embed.ts): it closes from the launcher as from the panel.
  const keys = (event: KeyboardEvent) => {
    if (event.key === 'Tab' && matchMedia('(max-width:480px)').matches) trap(event, panel.current!);
  };
  let lastUser: WireMessage | undefined;
  for (const m of state.messages) if (m.role === 'user') lastUser = m;
  const hours = config.hours && teamAvailability(config.hours);

  return (
    <div
      class="w"
      role="dialog"
      aria-labelledby="c-t"
      ref={panel}
      tabIndex={-1}
      hidden={!open}
      onKeyDown={keys}
    >
      <div class="hdr">
        {config.avatarUrl ? (
          <img class="av" src={config.avatarUrl} alt="" />
        ) : (
          <span class="av" aria-hidden="true">
            {config.name.slice(0, 1).toUpperCase()}
          </span>
        )}
        <div class="hd">
          <h2 id="c-t">{config.name}</h2>
          <p class="sub">
            {!hours ? t.instant : hours.open ? t.online : `${t.away} ${t.days[hours.day]} ${hours.at}`}
          </p>
        </div>
        <button type="button" class="x" aria-label={t.close} onClick={close}>
          <span aria-hidden="true">×</span>
        </button>
      </div>
      <p class="cn" role="status">
        {state.refused && t.refused}
        {state.status === 'connecting' && state.retryAt > 0 && t.connecting}
        {state.status === 'offline' && (
          <>
            {t.offline}{' '}
            <button type="button" onClick={() => connection.wake()}>
              {t.retry}
            </button>
          </>
        )}
      </p>
      <div
        class="log"
        ref={log}
        role="log"
        aria-label={t.messages}
        onScroll={(e) => {
          const el = e.currentTarget;
          pinned.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
        }}
      >
        <ol class="ms">
          <li class="m">{greetingOf(config, t)}</li>
          {state.messages.map((message) => (
            <Message key={message.id} message={message} t={t} last={message === lastUser} />
          ))}
          {state.outbox.map((item) => (
            <Pending key={item.id} item={item} t={t} online={state.status === 'online'} retry={connection} />
          ))}
          {state.streams.map((stream) => (
            // Hidden from the live region while it is being written: the complete reply replaces
            // it and is announced once, instead of word by word.
            <li key={stream.id} class="m" aria-hidden="true">
              <Markdown text={stream.text} />
            </li>
          ))}
          {state.typing && state.streams.length === 0 && (
            <li class="ty">
              <i />
              <i />
              <i />
              <span class="sr">{t.typing}</span>
            </li>
          )}
        </ol>
      </div>
      <form onSubmit={submit}>
        <label class="sr" for="c-i">
          {t.input}
        </label>
        <textarea
          id="c-i"
          ref={input}
          rows={1}
          maxLength={4000}
          value={draft}
          placeholder={t.placeholder}
          enterkeyhint="send"
          onInput={(e) => setDraft(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submit(e);
          }}
        />
        <button type="submit" aria-label={t.send}>
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path fill="currentColor" d="M3 20.5 21 12 3 3.5V10l12 2-12 2z" />
          </svg>
        </button>
      </form>
    </div>
  );
}

function Message({ message, t, last }: { message: WireMessage; t: Strings; last: boolean }) {
  const who = message.role === 'user' ? t.you : message.role === 'agent' ? t.agent : t.bot;
  return (
    <>
      {message.role === 'agent' && (
        <li class="who" aria-hidden="true">
          {t.agent}
        </li>
      )}
      <li class={`m ${message.role === 'user' ? 'u' : message.role === 'agent' ? 'ag' : ''}`}>
        <span class="sr">{who} : </span>
        {message.role === 'user' ? message.text : <Markdown text={message.text} />}
        {message.citations?.map((citation) => (
          <span class="ci" key={citation.title}>
            {t.source} : {citation.url ? link(citation.url, citation.title) : citation.title}
          </span>
        ))}
      </li>
      {last && (
        <li class="st" aria-hidden="true">
          {t.sent}
        </li>
      )}
    </>
  );
}

function Pending({
  item,
  t,
  online,
  retry,
}: {
  item: Outgoing;
  t: Strings;
  online: boolean;
  retry: Connection;
}) {
  return (
    <>
      <li class="m u">
        <span class="sr">{t.you} : </span>
        {item.text}
      </li>
      <li class="st" aria-hidden={!item.failed}>
        {item.failed ? (
          <>
            {t.failed}{' '}
            <button type="button" onClick={() => retry.retry(item.id)}>
              {t.resend}
            </button>
          </>
        ) : item.sent || online ? (
          t.sending
        ) : (
          t.queued
        )}
      </li>
    </>
  );
}

/** Keeps Tab inside the full-screen panel, where the page behind it cannot be seen. */
function trap(event: KeyboardEvent, panel: HTMLElement) {
  const focusable = [...panel.querySelectorAll<HTMLElement>('button,textarea,a[href]')];
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  const active = (panel.getRootNode() as ShadowRoot).activeElement;
  if (event.shiftKey && (active === first || active === panel)) {
    last?.focus();
    event.preventDefault();
  } else if (!event.shiftKey && active === last) {
    first?.focus();
    event.preventDefault();
  }
}
