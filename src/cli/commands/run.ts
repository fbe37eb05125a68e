import type { Command } from 'commander';
import type { AbsClient } from '../../abs/types.js';
import { startService } from '../../app/service.js';
import type { Logger } from '../../logging.js';
import { loadCliEnv } from '../context.js';
import { explainError } from '../errors.js';
import { attachRunOutput } from '../run-output.js';

/**
 * `abs-bridge run`: the socket listener, catch-up, the HTTP server (API, web page, ABS custom
 * provider endpoint, metrics) and notifications, until SIGINT/SIGTERM. On a signal it stops
 * accepting requests, lets running items finish, closes the cache; a second signal exits at once.
 * "bridge running" is logged only once ABS answers with the configured key.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run the bridge: socket listener, catch-up, HTTP server, notifications')
    .action(async (_opts, command: Command) => {
      const { config, logger } = loadCliEnv(command);
      let detach = () => {};
      const service = await startService(config, logger, {
        beforeStart: ({ runtime, bridge }) => {
          detach = attachRunOutput({ events: runtime.events, logger, getItem: (id) => bridge.getItem(id) });
        },
      });
      const stopped = waitForSignal(() => logger.warn('second signal: exiting without draining'));
      const reached = await waitForAbs(service.abs, logger, stopped);
      if (reached.ok && reached.retried)
        service.bridge.catchUp().catch((err) => logger.warn({ err }, 'catch-up failed'));
      if (reached.ok)
        logger.info(
          {
            url: service.url,
            abs: config.abs.url,
            socket: service.bridge.status().socket,
            ...(service.tokenFile ? { tokenFile: service.tokenFile } : {}),
          },
          service.tokenFile
            ? `bridge running — web page at ${service.url}; no http.token configured, so one was generated into tokenFile`
            : `bridge running — web page at ${service.url}`,
        );
      await stopped;
      logger.info('shutting down: closing HTTP, draining the queue, closing the cache');
      detach();
      await service.stop();
      logger.info('stopped');
    });
}

const FIRST_DELAY_MS = 2_000;
const MAX_DELAY_MS = 60_000;

/**
 * Asks ABS for its libraries (needs the API key) until it answers, with backoff. A refused key or
 * an unreachable server is logged in one line naming the fix; the same problem again only at
 * debug. Resolves `ok: false` when a signal comes first.
 */
export async function waitForAbs(
  abs: Pick<AbsClient, 'listLibraries' | 'baseUrl'>,
  logger: Logger,
  stopped: Promise<void>,
  firstDelayMs = FIRST_DELAY_MS,
): Promise<{ ok: boolean; retried: boolean }> {
  let delay = firstDelayMs;
  let last = '';
  let stop = false;
  void stopped.then(() => {
    stop = true;
  });
  for (let attempt = 0; !stop; attempt++) {
    try {
      await abs.listLibraries();
      if (attempt > 0) logger.info('ABS answers now');
      return { ok: true, retried: attempt > 0 };
    } catch (error) {
      const problem = explainError(error, { absUrl: abs.baseUrl });
      const line = `${problem}; trying again with backoff (up to every ${MAX_DELAY_MS / 1000} s)`;
      if (problem !== last) logger.error(line);
      else logger.debug(line);
      last = problem;
    }
    await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, delay).unref())]);
    delay = Math.min(delay * 2, MAX_DELAY_MS);
  }
  return { ok: false, retried: true };
}

/** Resolves on the first SIGINT/SIGTERM; a second one exits the process immediately. */
function waitForSignal(onForce: () => void): Promise<void> {
  return new Promise((resolve) => {
    let received = false;
    const handler = () => {
      if (received) {
        onForce();
        process.exit(130);
      }
      received = true;
      resolve();
    };
    process.on('SIGINT', handler);
    process.on('SIGTERM', handler);
  });
}
