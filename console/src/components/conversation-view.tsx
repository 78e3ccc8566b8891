import type { Ref } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ConsoleMessage } from '../../../server/protocol/console-inbox.ts';
import { ApiFailure } from '../api.ts';
import { useInbox, useServices } from '../services.ts';
import { Composer, type ComposerHandle } from './composer.tsx';
import { MessageItem } from './message-item.tsx';
import { SidePanel } from './side-panel.tsx';
import { useTeammates } from './teammates.ts';
import { formatDateTime } from './time.ts';

export interface ConversationViewHandle {
  compose(kind: 'reply' | 'note'): void;
  resolve(): void;
  assign(): void;
}

/** The open conversation: its actions, who else is on it, the history, the composer and the side panel. */
export function ConversationView({
  controls,
  onBack,
}: {
  controls: Ref<ConversationViewHandle>;
  onBack: () => void;
}) {
  const { prefs, sessions } = useServices();
  const inbox = useInbox();
  const t = prefs.t;
  const me = sessions.session.value?.user.id;
  const thread = inbox.thread.value;
  const open = inbox.openRow.value?.row;
  const presence = inbox.presence.value;
  const context = inbox.context.value;
  const teammates = useTeammates();
  const [problem, setProblem] = useState<{ text: string; canForce: boolean } | null>(null);
  const composer = useRef<ComposerHandle>(null);
  const assignSelect = useRef<HTMLSelectElement>(null);
  const history = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);

  async function run(action: () => Promise<unknown>, canForce = false) {
    setProblem(null);
    try {
      await action();
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      setProblem({ text, canForce: canForce && error instanceof ApiFailure && error.status === 409 });
    }
  }

  const handle: ConversationViewHandle = {
    compose: (kind) => composer.current?.focus(kind),
    resolve: () => open && open.status !== 'resolved' && void run(() => inbox.resolve(open.id)),
    assign: () => assignSelect.current?.focus(),
  };
  if (typeof controls === 'function') controls(handle);
  else if (controls) controls.current = handle;

  // Read while the operator looks at it: the tab is visible and focused.
  useEffect(() => {
    const markIfSeen = () => {
      if (document.visibilityState === 'visible' && document.hasFocus())
        void inbox.markRead().catch(() => {});
    };
    markIfSeen();
    window.addEventListener('focus', markIfSeen);
    document.addEventListener('visibilitychange', markIfSeen);
    return () => {
      window.removeEventListener('focus', markIfSeen);
      document.removeEventListener('visibilitychange', markIfSeen);
    };
  }, [open?.id, open?.unread]);

  // Stay at the newest message while the operator is there.
  useLayoutEffect(() => {
    const element = history.current;
    if (element && atBottom.current) element.scrollTop = element.scrollHeight;
  }, [thread?.messages.length]);

  if (!thread) return null;
  const name = open ? open.contact.name || open.contact.channelId : '';
  const others = (presence?.viewers ?? []).filter((viewer) => viewer.id !== me);
  const typing = (presence?.typing ?? []).filter((writer) => writer.id !== me);
  const takenByOther = open?.assignee && open.assignee.id !== me ? open.assignee : null;
  const template = context?.window?.template ?? null;
  const resend = template
    ? (message: ConsoleMessage) =>
        void run(() => inbox.send('reply', message.text, `resend-${message.id.slice(0, 8)}-${Date.now()}`))
    : undefined;

  return (
    <div class="conversation">
      <div class="thread">
        <div class="thread-head">
          <button type="button" class="back" onClick={onBack}>
            ← {t.backToList}
          </button>
          <h2 id="conversation-title">{name}</h2>
          {open && (
            <>
              <span class="muted">
                {t.channels[open.channel]} · {t.statuses[open.status]}
              </span>
              {open.assignee?.id !== me && open.status !== 'resolved' && (
                <button type="button" class="primary" onClick={() => run(() => inbox.take(open.id), true)}>
                  {t.take}
                </button>
              )}
              <label class="visually-hidden" for="assign-select">
                {t.assignTo}
              </label>
              <select
                id="assign-select"
                ref={assignSelect}
                value={open.assignee?.id ?? ''}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  void run(() => inbox.assign(open.id, value || null));
                }}
              >
                <option value="">
                  {t.assign}: {t.nobody}
                </option>
                {teammates.map((mate) => (
                  <option key={mate.id} value={mate.id}>
                    {t.assign}: {mate.name}
                  </option>
                ))}
              </select>
              {(open.status === 'human' || open.status === 'waiting') && (
                <button type="button" onClick={() => run(() => inbox.handBack(open.id))}>
                  {t.handBack}
                </button>
              )}
              {open.status === 'resolved' ? (
                <button type="button" onClick={() => run(() => inbox.reopen(open.id))}>
                  {t.reopen}
                </button>
              ) : (
                <button type="button" onClick={() => run(() => inbox.resolve(open.id))}>
                  {t.resolve}
                </button>
              )}
            </>
          )}
        </div>
        <div class="presence" aria-live="polite">
          {others.length > 0 && (
            <span class="collision">{t.alsoViewing(others.map((viewer) => viewer.name).join(', '))}</span>
          )}
          {typing.map((writer) => (
            <span key={writer.id}> {t.isTyping(writer.name)}</span>
          ))}
          {presence?.visitor.typing && <span> {t.visitorTyping}</span>}
          {takenByOther && <span> {t.takenBy(takenByOther.name)}</span>}
          {problem && (
            <span role="alert" class="error">
              {' '}
              {problem.text}{' '}
              {problem.canForce && open && (
                <button type="button" onClick={() => run(() => inbox.take(open.id, true))}>
                  {t.takeAnyway}
                </button>
              )}
            </span>
          )}
        </div>
        <ol
          class="messages"
          ref={history}
          aria-labelledby="conversation-title"
          // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable history must be reachable from the keyboard
          tabIndex={0}
          onScroll={(e) => {
            const el = e.currentTarget;
            atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          }}
        >
          {thread.hasEarlier && (
            <li>
              <button type="button" onClick={() => void inbox.loadEarlier()}>
                {t.loadEarlier}
              </button>
            </li>
          )}
          {!thread.loaded && (
            <li role="status" class="muted">
              {t.loading}
            </li>
          )}
          {thread.messages.map((message) => (
            <MessageItem key={message.id} message={message} onResend={resend} />
          ))}
        </ol>
        {context?.window && !context.window.open && (
          <p class="banner">
            {t.windowClosed}{' '}
            {context.channel === 'instagram'
              ? context.window.humanAgentUntil
                ? t.windowHumanAgent(formatDateTime(context.window.humanAgentUntil, prefs.lang.value))
                : t.windowInstagramClosed
              : template
                ? t.windowTemplate(template.name)
                : t.windowNoTemplate}
          </p>
        )}
        <Composer controls={composer} contactName={open?.contact.name ?? ''} />
      </div>
      <SidePanel />
    </div>
  );
}
