import { startCatalogueServer } from '../../mocks/providers/catalogue-server.js';
import { createMemoryService } from '../http/support/memory-service.js';
import { cannedBook, startHarness } from './harness.js';
import { describeServiceContract, type ServiceWorld } from './service-contract.js';

const TITLES = { clear: 'Clear Book', unsure: 'Unsure Book', unknown: 'Nobody Knows' } as const;

/**
 * The real bridge over the fake ABS, its state in a SQLite file in a temp dir. The canned provider
 * decides; an ABS custom provider (which knows no book) is the one the decisions wait for.
 */
async function realBridge(): Promise<ServiceWorld> {
  const catalogue = await startCatalogueServer([]);
  const h = await startHarness({
    socket: false,
    // No cache URL: the cache and the bridge's state are SQLite files in dataDir.
    config: { cache: {} },
    responses: {
      'clear book': cannedBook(TITLES.clear),
      'unsure book': { ...cannedBook(TITLES.unsure), matchConfidence: 0.75 },
    },
    providers: { custom: [{ name: 'releases', url: catalogue.urls.custom }] },
  });
  let n = 0;
  return {
    service: h.bridge,
    libraryId: h.fake.libraryId,
    addBook: (kind) => h.addBook({ title: TITLES[kind], author: `Author ${++n}`, duration: 3600 }),
    setProvidersDown: (down) => catalogue.setFault('custom', down ? 'error' : 'none'),
    async close() {
      await h.close();
      await catalogue.close();
    },
  };
}

/** The in-memory double the HTTP and page tests run against. */
async function memoryDouble(): Promise<ServiceWorld> {
  const service = createMemoryService();
  const titles = { clear: 'Project Hail Mary', unsure: 'The Way of Kings', unknown: 'Unknown Book' };
  let n = 0;
  return {
    service,
    libraryId: service.backfillLibrary.id,
    async addBook(kind) {
      const id = `li_${kind}_${++n}`;
      service.addToAbs(id, { title: titles[kind] });
      return id;
    },
    setProvidersDown: (down) => service.setProvidersDown(down),
    async close() {
      service.stopBackfill();
    },
  };
}

describeServiceContract('the real bridge (fake ABS, SQLite state)', realBridge);
describeServiceContract('the HTTP tests’ memory double', memoryDouble);
