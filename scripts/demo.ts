/**
 * `npm run demo`: the whole bridge with no ABS of your own, showing every state: books applied, one
 * in review with its candidates, one not matched, and a person's edit kept on a re-match. Starts the fake ABS (REST + socket),
 * a local server answering like every metadata provider (from recorded responses), and the
 * bridge with its HTTP server; adds a few books the way ABS's watcher would; prints the web
 * page's address and token. Runs until Ctrl-C, or `--once [seconds]` exits by itself (a smoke
 * test: non-zero when no item was processed).
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeAbs } from '../mocks/fake-abs/index.js';
import { startMockProviderServer } from '../mocks/providers/index.js';
import { type Service, startService } from '../src/app/service.js';
import { attachRunOutput } from '../src/cli/run-output.js';
import { parseConfig } from '../src/config/load.js';
import type { ConfigInput } from '../src/config/schema.js';
import { createLogger } from '../src/logging.js';

type ProvidersInput = NonNullable<ConfigInput['providers']>;

interface DemoArgs {
  once?: number;
  port: number;
  logLevel: string;
}

function parseArgs(argv: string[]): DemoArgs {
  const args: DemoArgs = { port: 8787, logLevel: 'warn' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = argv[i + 1];
    if (a === '--once') {
      args.once = next && /^\d+$/.test(next) ? Number(argv[++i]) : 5;
    } else if (a === '--port' && next) args.port = Number(argv[++i]);
    else if (a === '--log-level' && next) args.logLevel = argv[++i] as string;
    else throw new Error(`unknown argument ${a}; use --once [seconds], --port N, --log-level LEVEL`);
  }
  return args;
}

/**
 * Books a newcomer drops into the library: tagged, half-tagged, one nobody knows, and a copy of
 * Project Hail Mary ten hours long (the edition is 16 h): close enough to ask, not to apply.
 */
const NEW_BOOKS = [
  { title: 'Project Hail Mary', author: 'Andy Weir', asin: 'B08G9PRS1K', duration: 58_200 },
  { title: "Harry Potter and the Sorcerer's Stone", author: 'J.K. Rowling', duration: 29_880 },
  { title: "Galaxy's Edge", author: 'Jason Anspach', duration: 62_520 },
  { title: 'The Coldest Case', author: 'James Patterson', duration: 13_920 },
  { title: 'A Book Nobody Has Heard Of', author: 'Nobody', duration: 3_600 },
  { title: 'Project Hail Mary', author: 'Andy Weir', duration: 36_000, path: 'Andy Weir/PHM (abridged?)' },
];

/**
 * The mock providers are local, so the real services' rate limits (Open Library 1/s, iTunes
 * 20/min) would only make the demo wait.
 */
function withoutRateLimits(providers: ProvidersInput): ProvidersInput {
  const fast = { perMinute: 60_000, burst: 100 };
  const out: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(providers)) {
    out[id] = Array.isArray(value)
      ? value.map((v) => ({ ...v, rateLimit: fast }))
      : { ...(value as object), rateLimit: fast };
  }
  return out as ProvidersInput;
}

async function startDemo(args: DemoArgs) {
  const dataDir = mkdtempSync(join(tmpdir(), 'abs-bridge-demo-'));
  // The books' folders exist on this machine too (mapped from ABS's /audiobooks), as in a real
  // install: no "item folder not reachable" warnings, and the folder provider has something to read.
  const books = join(dataDir, 'books');
  for (const book of NEW_BOOKS)
    mkdirSync(join(books, book.path ?? join(book.author, book.title)), { recursive: true });
  const fake = await startFakeAbs({ items: [] });
  const providers = await startMockProviderServer();
  const token = `demo-${randomBytes(9).toString('base64url')}`;
  const config = parseConfig(
    {
      dataDir,
      logging: { level: args.logLevel },
      cache: { url: 'memory://' },
      abs: { url: fake.url, apiKey: fake.apiKey, username: fake.username, password: fake.password },
      // The folder provider would read a title from every folder name: the book nobody knows would
      // wait for review instead of showing the "not matched" state.
      providers: { ...withoutRateLimits(providers.providersConfig()), local: { folder: { enabled: false } } },
      http: { port: args.port, token },
      pathMappings: [{ abs: '/audiobooks', local: books }],
      bridge: { sidecars: [], writeCover: false },
    },
    'demo config',
  );
  const logger = createLogger({ level: args.logLevel });
  // One line per book, as `run` prints them, whatever the level of the rest.
  const bookLog = createLogger({ level: 'info' });
  const beforeStart: NonNullable<Parameters<typeof startService>[2]>['beforeStart'] = ({
    runtime,
    bridge,
  }) => {
    attachRunOutput({ events: runtime.events, logger: bookLog, getItem: (id) => bridge.getItem(id) });
  };
  let service: Service;
  try {
    service = await startService(config, logger, { bridge: { catchUpIntervalMs: 60_000 }, beforeStart });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    // Port taken: any free port will do for a demo.
    service = await startService({ ...config, http: { ...config.http, port: 0 } }, logger, { beforeStart });
  }
  const cleanup = async () => {
    await service.stop();
    await providers.close();
    await fake.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { service, fake, token, cleanup };
}

/**
 * A person corrects the publisher of a book the bridge applied, in ABS; a later re-match keeps it
 * (the bridge only overwrites values it wrote itself).
 */
async function showPersonsEdit(absUrl: string, apiKey: string, service: Service, itemId?: string) {
  if (!itemId) return;
  process.stdout.write('A person sets the publisher of "The Coldest Case" in ABS; re-matching it…\n');
  await fetch(`${absUrl}/api/items/${itemId}/media`, {
    method: 'PATCH',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ metadata: { publisher: 'My Corrected Publisher' } }),
  });
  await new Promise((r) => setTimeout(r, 300));
  await service.bridge.idle();
  const outcome = await service.bridge.rematch(itemId, { refresh: true });
  for (const k of outcome.kept ?? [])
    if (k.reason === 'person-edited') process.stdout.write(`  kept ${k.field}: a person edited it in ABS\n`);
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition() && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const { service, fake, token, cleanup } = await startDemo(args);
  // Add books once the socket is up and its reconnect catch-up ran, as a watcher would later.
  await waitFor(() => service.bridge.status().socket === 'connected', 10_000);
  await new Promise((r) => setTimeout(r, 300));
  process.stdout.write('Adding books to the fake ABS library…\n');
  const added = NEW_BOOKS.map((book) => fake.addItem(book));
  // Socket events are asynchronous: give them a moment to arrive, then wait for the queue.
  await new Promise((r) => setTimeout(r, 500));
  await service.bridge.idle();
  await showPersonsEdit(fake.url, fake.apiKey, service, added[3]?.id);
  const items = await service.bridge.recentItems(50);
  process.stdout.write(
    [
      '',
      `  Web page:  ${service.url}/`,
      `  Token:     ${token}`,
      `  Fake ABS:  ${fake.url}  (user ${fake.username} / ${fake.password})`,
      `  ABS custom provider URL: ${service.url}/abs-provider  (Authorization: ${token})`,
      '',
      ...items.map(
        (i) =>
          `  ${(i.decision ?? 'pending').padEnd(7)} ${Math.round((i.confidence ?? 0) * 100)}%  ${i.title ?? i.itemId}`,
      ),
      '',
      args.once === undefined ? 'Press Ctrl-C to stop.' : `Exiting in ${args.once} s (--once).`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    if (args.once !== undefined) setTimeout(resolve, args.once * 1000);
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await cleanup();
  return items.some((i) => i.decision) ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`demo failed: ${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  },
);
