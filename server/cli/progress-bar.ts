import cliProgress from 'cli-progress';

export interface ProgressView {
  update(snapshot: object): void;
  stop(): void;
}

/**
 * The terminal progress bar of long knowledge commands: pages crawled against pages found for a
 * crawl, chunks indexed against chunks to index otherwise, with both counters in the text. Without
 * a terminal (CI, a pipe) it prints a line every few seconds instead of redrawing.
 */
export function createProgressView(stream: NodeJS.WriteStream = process.stderr): ProgressView {
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{phase} |{bar}| {value}/{total} {unit} · pages {pages} · chunks {chunks}',
      barsize: 30,
      hideCursor: true,
      noTTYOutput: true,
      notTTYSchedule: 2000,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(progress) {
      const snapshot = progress as Record<string, unknown>;
      const n = (key: string) => (typeof snapshot[key] === 'number' ? (snapshot[key] as number) : 0);
      const crawling = n('pagesFound') > 0;
      const total = Math.max(crawling ? n('pagesFound') : n('chunksTotal'), 1);
      const value = Math.min(
        crawling ? n('pagesCrawled') + n('pagesFailed') + n('pagesUnchanged') : n('chunksIndexed'),
        total,
      );
      const payload = {
        phase: String(snapshot['phase'] ?? 'working').padEnd(10),
        unit: crawling ? 'pages' : 'chunks',
        pages: `${n('pagesCrawled')} crawled, ${n('pagesUnchanged')} unchanged, ${n('pagesFailed')} failed`,
        chunks: `${n('chunksIndexed')} indexed`,
      };
      if (!started) {
        bar.start(total, value, payload);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(value, payload);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
