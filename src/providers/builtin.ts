import { folderDefinition } from './local/folder.js';
import { libationDefinition } from './local/libation.js';
import { sidecarsDefinition } from './local/sidecars.js';
import { tagsDefinition } from './local/tags.js';
import { audibleDefinition } from './network/audible/index.js';
import { audnexusDefinition } from './network/audnexus/index.js';
import { googleBooksDefinition } from './network/googlebooks.js';
import { hardcoverDefinition } from './network/hardcover/index.js';
import { iTunesDefinition } from './network/itunes.js';
import { openLibraryDefinition } from './network/openlibrary.js';

/**
 * The built-in providers, by their key in the config. This list is the only place that names them:
 * the config assembles their options schemas from it (`src/config/providers.ts`) and
 * `src/app/providers.ts` builds the enabled ones from it, in this order — local first, most
 * specific first; the order is the tie-break in merges. ABS custom providers (`custom:<name>`)
 * and canned mocks come after them, from lists in the config.
 */
export const BUILTIN_PROVIDERS = {
  /** Under `providers.local`. */
  local: {
    libation: libationDefinition,
    sidecars: sidecarsDefinition,
    tags: tagsDefinition,
    folder: folderDefinition,
  },
  /** Under `providers`. */
  network: {
    audible: audibleDefinition,
    audnexus: audnexusDefinition,
    hardcover: hardcoverDefinition,
    openlibrary: openLibraryDefinition,
    googlebooks: googleBooksDefinition,
    itunes: iTunesDefinition,
  },
} as const;
