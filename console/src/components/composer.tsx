import type { Ref } from 'preact';
import { useRef, useState } from 'preact/hooks';
import type { CannedResponse } from '../../../server/protocol/console-inbox.ts';
import { cannedQuery, fillCanned, insertCanned, matchCanned } from '../canned.ts';
import { useInbox, useServices } from '../services.ts';

export interface ComposerHandle {
  focus(kind: 'reply' | 'note'): void;
}

const TYPING_EVERY_MS = 3000;

/**
 * Replies and internal notes. Enter sends, Shift+Enter adds a line, `/shortcut` offers the
 * canned responses (arrows to choose, Enter or Tab to insert). Typing is announced at most every
 * 3 s: to the customer for a reply, to the team only for a note.
 */
export function Composer({ controls, contactName }: { controls: Ref<ComposerHandle>; contactName: string }) {
  const { prefs, sessions } = useServices();
  const inbox = useInbox();
  const t = prefs.t;
  const [kind, setKind] = useState<'reply' | 'note'>('reply');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [query, setQuery] = useState<{ start: number; prefix: string } | undefined>();
  const [choice, setChoice] = useState(0);
  const area = useRef<HTMLTextAreaElement>(null);
  const lastTyping = useRef(0);

  const handle: ComposerHandle = {
    focus(next) {
      setKind(next);
      area.current?.focus();
    },
  };
  if (typeof controls === 'function') controls(handle);
  else if (controls) controls.current = handle;

  const options = query ? matchCanned(inbox.canned.value ?? [], query.prefix) : [];
  const session = sessions.session.value;
  const tenant = session?.tenants.find((x) => x.id === session.currentTenantId);

  function announce(value: string, mode = kind) {
    const now = Date.now();
    if (!value.trim()) {
      if (lastTyping.current) inbox.typing(null);
      lastTyping.current = 0;
    } else if (now - lastTyping.current > TYPING_EVERY_MS) {
      inbox.typing(mode);
      lastTyping.current = now;
    }
  }

  function pick(response: CannedResponse) {
    if (!query) return;
    const filled = fillCanned(response.text, {
      name: contactName,
      agent: session?.user.name ?? '',
      business: tenant?.name ?? '',
    });
    const next = insertCanned(text, query, filled);
    setText(next.text);
    setQuery(undefined);
    requestAnimationFrame(() => area.current?.setSelectionRange(next.caret, next.caret));
  }

  async function send() {
    // The textarea's own value: a key pressed before the last input was rendered still sends it all.
    const body = (area.current?.value ?? text).trim();
    if (!body || busy) return;
    setBusy(true);
    setError(null);
    try {
      await inbox.send(kind, body, clientId());
      setText('');
      announce('');
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : t.somethingFailed);
    } finally {
      setBusy(false);
    }
  }

  function onKeyDown(event: KeyboardEvent) {
    if (options.length > 0) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        setChoice((c) => (c + (event.key === 'ArrowDown' ? 1 : options.length - 1)) % options.length);
        return;
      }
      if (event.key === 'Enter' || event.key === 'Tab') {
        event.preventDefault();
        pick(options[Math.min(choice, options.length - 1)]!);
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        event.stopPropagation();
        setQuery(undefined);
        return;
      }
    }
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      void send();
    }
  }

  return (
    <form
      class={kind === 'note' ? 'composer note' : 'composer'}
      onSubmit={(event) => {
        event.preventDefault();
        void send();
      }}
    >
      {options.length > 0 && (
        <div class="canned" role="listbox" id="canned-list" aria-label={t.cannedResponses}>
          {options.map((option, i) => (
            // biome-ignore lint/a11y/useFocusableInteractive: the textarea keeps the focus and points at the option (aria-activedescendant)
            <div
              key={option.id}
              id={`canned-${option.id}`}
              role="option"
              aria-selected={i === choice}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(option);
              }}
            >
              <strong>/{option.shortcut}</strong> {option.title}
            </div>
          ))}
        </div>
      )}
      <fieldset class="composer-bar">
        <legend class="visually-hidden">{t.composerLabel}</legend>
        <button type="button" aria-pressed={kind === 'reply'} onClick={() => setKind('reply')}>
          {t.reply}
        </button>
        <button type="button" aria-pressed={kind === 'note'} onClick={() => setKind('note')}>
          {t.addNote}
        </button>
      </fieldset>
      <label class="visually-hidden" for="composer-text">
        {kind === 'note' ? t.note : t.reply}
      </label>
      <textarea
        id="composer-text"
        ref={area}
        value={text}
        maxLength={8000}
        placeholder={kind === 'note' ? t.notePlaceholder : t.replyPlaceholder}
        aria-controls={options.length > 0 ? 'canned-list' : undefined}
        aria-autocomplete="list"
        aria-activedescendant={
          options.length > 0 ? `canned-${options[Math.min(choice, options.length - 1)]!.id}` : undefined
        }
        onFocus={() => inbox.loadCanned()}
        onBlur={() => announce('')}
        onKeyDown={onKeyDown}
        onInput={(event) => {
          const value = event.currentTarget.value;
          setText(value);
          setQuery(cannedQuery(value, event.currentTarget.selectionStart ?? value.length));
          setChoice(0);
          announce(value);
        }}
      />
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <div class="composer-bar">
        <span class="spacer" />
        <button type="submit" class="primary" disabled={busy || !text.trim()}>
          {kind === 'note' ? t.saveNote : t.send}
        </button>
      </div>
    </form>
  );
}

/** A fresh id for a message, so a retried send is stored once. */
function clientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return `c-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}
