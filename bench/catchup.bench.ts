/**
 * `npm run bench catchup`: the cost of one catch-up on a 10,000-book library (the fake ABS, which
 * honours only the sorts ABS 2.36 has): nothing new, five books new, and the same on a server that
 * ignores the `addedAt` sort (the catch-up then reads every page). Requests and wall time.
 */
import { performance } from 'node:perf_hooks';
import { startFakeAbs } from '../mocks/fake-abs/index.js';
import { createAbsClient } from '../src/abs/client.js';
import type { AbsClient } from '../src/abs/types.js';
import { openStateStore } from '../src/bridge/state/state-store.js';
import { catchUp } from '../src/bridge/triggers/catch-up.js';
import { createLogger } from '../src/logging.js';

const BOOKS = Number(process.env.BENCH_CATCHUP_BOOKS ?? 10_000);

export default async function run(): Promise<Record<string, unknown>> {
  const fake = await startFakeAbs({ items: [] });
  fake.addItems(BOOKS);
  const real = createAbsClient({ url: fake.url, token: fake.apiKey });
  let requests = 0;
  const counted = (ignoreSort: boolean): AbsClient => ({
    ...real,
    listLibraryItems: (id, o = {}) => {
      requests += 1;
      return real.listLibraryItems(id, ignoreSort ? { ...o, sort: undefined, desc: undefined } : o);
    },
  });
  const out: Record<string, unknown> = { books: BOOKS };
  for (const ignoreSort of [false, true]) {
    const store = openStateStore('memory://');
    const deps = {
      abs: counted(ignoreSort),
      store,
      logger: createLogger({ level: 'silent' }),
      triggerTag: 'bridge:rematch',
      libraryIds: [fake.libraryId],
      enqueue: () => undefined,
    };
    await catchUp(deps); // the first run sets the checkpoint
    for (const newBooks of [0, 5]) {
      if (newBooks) {
        await new Promise((r) => setTimeout(r, 5));
        fake.addItems(newBooks);
      }
      requests = 0;
      const started = performance.now();
      const report = await catchUp(deps);
      const label = `${ignoreSort ? 'sortIgnored' : 'addedAtSort'}_${newBooks}new`;
      out[label] = {
        ms: Math.round(performance.now() - started),
        listingRequests: requests,
        itemsRead: report.scanned,
        queued: report.queued,
      };
      console.log(label, out[label]);
    }
    await store.close();
  }
  await fake.stop();
  return out;
}
