import type { Command } from 'commander';
import { startService } from '../../app/service.js';
import { loadCliEnv } from '../context.js';

/**
 * `abs-bridge run`: the socket listener, catch-up, the HTTP server (API, web page, ABS custom
 * provider endpoint, metrics) and notifications, until SIGINT/SIGTERM. On a signal it stops
 * accepting requests, lets running items finish, closes the cache; a second signal exits at once.
 */
export function registerRunCommand(program: Command): void {
  program
    .command('run')
    .description('Run the bridge: socket listener, catch-up, HTTP server, notifications')
    .action(async (_opts, command: Command) => {
      const { config, logger } = loadCliEnv(command);
      const service = await startService(config, logger);
      logger.info(
        {
          url: service.url,
          abs: config.abs.url,
          socket: service.bridge.status().socket,
          ...(service.tokenFile ? { tokenFile: service.tokenFile } : {}),
        },
        service.tokenFile
          ? 'bridge running; no http.token configured, so one was generated into tokenFile'
          : 'bridge running',
      );
      await waitForSignal(() => logger.warn('second signal: exiting without draining'));
      logger.info('shutting down: closing HTTP, draining the queue, closing the cache');
      await service.stop();
      logger.info('stopped');
    });
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
