import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { redisUrlOrWarn } from '../setup/redis-env.js';
import { describeCacheContract } from './contract.js';

describeCacheContract('memory', async () => ({ url: 'memory://' }));

describeCacheContract('sqlite', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cache-sqlite-'));
  return {
    url: `sqlite://${path.join(dir, 'nested', 'cache.sqlite')}`,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});

const redisUrl = redisUrlOrWarn();
describeCacheContract('redis', async () => (redisUrl ? { url: redisUrl } : undefined));

describeCacheContract('file', async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cache-file-'));
  return {
    url: pathToFileURL(path.join(dir, 'nested', 'cache.json')).href,
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
});
