import TurndownService from 'turndown';

/** Markdown from the HTML of an article: headings, lists, links and tables stay readable. */
export function htmlToMarkdown(html: string): string {
  const turndown = new TurndownService({
    headingStyle: 'atx',
    codeBlockStyle: 'fenced',
    bulletListMarker: '-',
  });
  turndown.remove(['script', 'style', 'noscript', 'iframe', 'object', 'embed', 'template', 'canvas']);
  // Images say nothing a visitor can read; their alternative text does.
  turndown.addRule('images', {
    filter: 'img',
    replacement: (_content, node) => {
      const alt = (node as { getAttribute?: (name: string) => string | null }).getAttribute?.('alt');
      return alt ? alt : '';
    },
  });
  return tidyMarkdown(turndown.turndown(html));
}

/** Collapses runs of blank lines and trailing spaces. */
export function tidyMarkdown(markdown: string): string {
  return markdown
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t\u00a0]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
