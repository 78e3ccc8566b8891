import type { ComponentChildren } from 'preact';

/**
 * A small, safe markdown: paragraphs, line breaks, - and 1. lists, **bold**, *italics*,
 * `inline code`, [links](url) and bare URLs. It builds Preact elements, never HTML text, so
 * nothing in a message can become markup and no sanitizer is needed.
 */
export function Markdown({ text }: { text: string }) {
  const blocks: ComponentChildren[] = [];
  let list: { ordered: boolean; items: string[] } | undefined;
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length) blocks.push(<p>{inline(paragraph.join('\n'))}</p>);
    paragraph = [];
  };
  const endList = () => {
    if (!list) return;
    const items = list.items.map((item) => <li>{inline(item)}</li>);
    blocks.push(list.ordered ? <ol>{items}</ol> : <ul>{items}</ul>);
    list = undefined;
  };
  for (const line of text.split(/\r?\n/)) {
    const item = /^\s*(?:([-*+])|\d{1,3}[.)])\s+(.*)$/.exec(line);
    if (item) {
      endParagraph();
      const ordered = !item[1];
      if (list && list.ordered !== ordered) endList();
      list ??= { ordered, items: [] };
      list.items.push(item[2]!);
    } else if (!line.trim()) {
      endParagraph();
      endList();
    } else if (list && /^\s{2,}/.test(line)) {
      // An indented line continues the list item above it.
      list.items[list.items.length - 1] += `\n${line.trim()}`;
    } else {
      endList();
      paragraph.push(line);
    }
  }
  endParagraph();
  endList();
  return <>{blocks}</>;
}

const INLINE =
  /`([^`\n]+)`|\*\*(.+?)\*\*|__(.+?)__|\*(?![\s*])(.+?)\*|(?<![\w])_(?![\s_])(.+?)_(?![\w])|\[([^\]\n]+)\]\(\s*([^)\s]+)\s*\)|(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'’»])|\n/g;

/** One line's inline formatting, recursively (but never inside code). */
export function inline(text: string): ComponentChildren[] {
  const out: ComponentChildren[] = [];
  let last = 0;
  for (const m of text.matchAll(INLINE)) {
    if (m.index > last) out.push(text.slice(last, m.index));
    last = m.index + m[0].length;
    if (m[1] !== undefined) out.push(<code>{m[1]}</code>);
    else if (m[2] !== undefined || m[3] !== undefined) out.push(<strong>{inline(m[2] ?? m[3]!)}</strong>);
    else if (m[4] !== undefined || m[5] !== undefined) out.push(<em>{inline(m[4] ?? m[5]!)}</em>);
    else if (m[6] !== undefined) out.push(link(m[7]!, inline(m[6])));
    else if (m[8] !== undefined) out.push(link(m[8], m[8]));
    else out.push(<br />);
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

/** A link only to http, https, mailto and tel; anything else stays plain text. */
export function link(url: string, children: ComponentChildren) {
  const href = safeHref(url);
  if (!href) return <>{children}</>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
    </a>
  );
}

export function safeHref(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return /^(https?|mailto|tel):$/.test(parsed.protocol) ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
