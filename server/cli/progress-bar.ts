import cliProgress from 'cli-progress';
import type { ProgressSnapshot } from '../admin-commands/admin-commands.ts';

export interface ProgressView {
  update(snapshot: ProgressSnapshot): void;
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
    update(snapshot) {
      const { pagesFound, pagesCrawled, pagesFailed, pagesUnchanged, chunksTotal, chunksIndexed } = snapshot;
      const crawling = pagesFound > 0;
      const total = Math.max(crawling ? pagesFound : chunksTotal, 1);
      const value = Math.min(crawling ? pagesCrawled + pagesFailed + pagesUnchanged : chunksIndexed, total);
      const payload = {
        phase: (snapshot.phase ?? 'working').padEnd(10),
        unit: crawling ? 'pages' : 'chunks',
        pages: `${pagesCrawled} crawled, ${pagesUnchanged} unchanged, ${pagesFailed} failed`,
        chunks: `${chunksIndexed} indexed`,
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
