import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';

/** The web page's files and their content types. Nothing else is served from disk. */
const ASSETS: Record<string, { file: string; type: string }> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/core.js': { file: 'core.js', type: 'text/javascript; charset=utf-8' },
  '/lists.js': { file: 'lists.js', type: 'text/javascript; charset=utf-8' },
  '/item.js': { file: 'item.js', type: 'text/javascript; charset=utf-8' },
  '/review.js': { file: 'review.js', type: 'text/javascript; charset=utf-8' },
  '/actions.js': { file: 'actions.js', type: 'text/javascript; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/tidy.js': { file: 'tidy.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
  '/favicon.svg': { file: 'favicon.svg', type: 'image/svg+xml' },
  // Browsers and tools still ask for /favicon.ico; answering it keeps 401 warnings out of the log.
  '/favicon.ico': { file: 'favicon.svg', type: 'image/svg+xml' },
};

/** Paths served without a token: the page holds no data, it asks for the token itself. */
export const PUBLIC_ASSET_PATHS = new Set(Object.keys(ASSETS));

/**
 * Same-origin only, no inline script, no framing. Covers are served by the bridge itself and
 * shown from blob: URLs (fetched with the token), so no image comes from another site.
 */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' blob: data:",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Where the assets live: beside this module in the source tree (tsx, tests), and in the built
 * tree when the build copied them; otherwise the source folder next to `dist/`.
 */
export function webAssetDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'web'), join(here, '..', '..', 'src', 'http', 'web')];
  const found = candidates.find((dir) => existsSync(join(dir, 'index.html')));
  if (!found) throw new Error(`web page assets not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Serves the web page from memory (read once at start: a few small files). */
export function registerStaticRoutes(app: FastifyInstance, dir = webAssetDir()): void {
  for (const [path, asset] of Object.entries(ASSETS)) {
    const content = readFileSync(join(dir, asset.file));
    app.get(path, async (_request, reply) =>
      reply
        .header('content-type', asset.type)
        .header('content-security-policy', CSP)
        .header('x-content-type-options', 'nosniff')
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-cache')
        .send(content),
    );
  }
}
