import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { delay, HttpResponse, http } from 'msw';
import { setupServer } from 'msw/node';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  customProviderHandlers,
  MOCK_CUSTOM_AUTH,
  MOCK_HARDCOVER_TOKEN,
  providerHandlers,
} from '../../mocks/providers/index.js';
import { buildProviders } from '../../src/app/providers.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { EventBus } from '../../src/events/bus.js';
import { silentLogger } from '../../src/logging.js';
import { createMockProvider } from '../../src/providers/mock.js';
import type { MetadataProvider } from '../../src/providers/types.js';
import { describeProviderContract, type ProviderFixture } from './contract.js';
import { LIBRARY } from './local/helpers.js';

// Every provider the app builds — local, network, custom and the config's mock — through the same
// path the app uses, plus the mock in its sync form. A provider added to the built-in list without
// an entry below fails the coverage test.
const CUSTOM_URL = 'https://provider.example/abs';
const server = setupServer(...providerHandlers(), ...customProviderHandlers(CUSTOM_URL));
let sent = 0;
let waiting: (() => void)[] = [];
server.events.on('request:start', () => {
  sent += 1;
  for (const resolve of waiting) resolve();
  waiting = [];
});
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterEach(() => server.resetHandlers());
afterAll(() => server.close());

const EMPTY = mkdtempSync(path.join(tmpdir(), 'abs-contract-empty-'));
afterAll(() => rmSync(EMPTY, { recursive: true, force: true }));

const config = ConfigSchema.parse({
  userAgent: 'abs-metadata-bridge-test/1.0 (test@example.com)',
  providers: {
    hardcover: { enabled: true, token: MOCK_HARDCOVER_TOKEN },
    custom: [{ name: 'contract', url: CUSTOM_URL, authHeader: MOCK_CUSTOM_AUTH }],
    mock: [{ id: 'mock', responses: { dune: { fields: { title: 'Dune' }, matchConfidence: 0.9 } } }],
  },
});
const built = buildProviders(config, { logger: silentLogger(), events: new EventBus() });
const syncMock = createMockProvider({
  id: 'mock-sync',
  mode: 'sync',
  responses: { dune: { fields: { title: 'Dune', authors: [{ name: 'Frank Herbert' }] } } },
}).provider;

const network: ProviderFixture['network'] = {
  requests: () => sent,
  nextRequest: () => new Promise((resolve) => waiting.push(resolve)),
  holdRequests: () =>
    server.use(
      http.all('*', async () => {
        await delay(2000);
        return HttpResponse.json({ held: true }, { status: 503 });
      }),
    ),
};

const DUNE = path.join(LIBRARY, 'Frank Herbert/Dune {Scott Brick}');
const HARRY = path.join(LIBRARY, "Libation/Harry Potter and the Sorcerer's Stone [B017V4IM1G]");
const folder = (dir: string) => ({ path: dir, folderName: path.basename(dir) });
const NOWHERE = { title: 'Zzxqv Wqqzj', authors: ['Nobody Qqxz'] };

/** What each provider finds and does not find, by provider id. */
const cases: Record<string, Omit<ProviderFixture, 'provider'>> = {
  'local-libation': { found: folder(HARRY), notFound: folder(EMPTY) },
  'local-sidecars': { found: folder(DUNE), notFound: folder(EMPTY) },
  'local-tags': { found: folder(DUNE), notFound: folder(EMPTY) },
  'local-folder': { found: folder(DUNE), notFound: { fileNames: ['01.mp3'] } },
  audible: { found: { title: 'Project Hail Mary', authors: ['Andy Weir'] }, notFound: NOWHERE, network },
  audnexus: { found: { asin: 'B08G9PRS1K' }, notFound: { asin: 'B000000000' }, network },
  hardcover: { found: { title: 'Project Hail Mary', authors: ['Andy Weir'] }, notFound: NOWHERE, network },
  openlibrary: {
    found: { title: 'The Last Wish', authors: ['Andrzej Sapkowski'] },
    notFound: NOWHERE,
    network,
  },
  googlebooks: {
    found: { title: 'Cronache marziane', authors: ['Ray Bradbury'] },
    notFound: NOWHERE,
    network,
  },
  itunes: { found: { title: 'The Midnight Test', authors: ['Juliana Haygert'] }, notFound: NOWHERE, network },
  'custom:contract': {
    found: { title: "Harry Potter and the Sorcerer's Stone", authors: ['J.K. Rowling'] },
    notFound: NOWHERE,
    network,
  },
  mock: { found: { title: 'Dune' }, notFound: NOWHERE },
  'mock-sync': { found: { title: 'Dune' }, notFound: NOWHERE },
};

const all: MetadataProvider[] = [...built, syncMock];

describe('provider contract coverage', () => {
  it('covers every provider the app builds, and every one of them is built', () => {
    expect(all.map((p) => p.id).sort()).toEqual(Object.keys(cases).sort());
  });
});

for (const provider of all) {
  const fixture = cases[provider.id];
  if (fixture) describeProviderContract(provider.id, async () => ({ provider, ...fixture }));
}
