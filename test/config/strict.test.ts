import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { loadConfig, parseConfig } from '../../src/config/load.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { nearestKey, objectSchemas } from '../../src/config/unknown-keys.js';
import { ConfigError } from '../../src/errors.js';

function issuesOf(raw: unknown): string[] {
  try {
    parseConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  return [];
}

describe('config: misspelt keys fail with their path and the key they meant', () => {
  it('every object in the schema refuses unknown keys', () => {
    const loose = [...objectSchemas(ConfigSchema)].filter((o) => !o.strict).map((o) => o.path);
    expect(loose).toEqual([]);
    // The walk reaches the deep ones too (provider options, list items, record values).
    const paths = [...objectSchemas(ConfigSchema)].map((o) => o.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'boundary.retry',
        'providers.audnexus.rateLimit',
        'providers.custom[]',
        'providers.mock[].responses.*',
        'providers.local.libation',
      ]),
    );
  });

  it.each([
    [{ cahce: {} }, 'cahce', 'cache'],
    [{ matching: { aply: 0.9 } }, 'matching.aply', 'apply'],
    [{ bridge: { writeCovers: false } }, 'bridge.writeCovers', 'writeCover'],
    [{ cache: { ur: 'memory://' } }, 'cache.ur', 'url'],
    [{ http: { prot: 8080 } }, 'http.prot', 'port'],
    [{ logging: { lvl: 'debug' } }, 'logging.lvl', 'level'],
    [{ abs: { apikey: 'k' } }, 'abs.apikey', 'apiKey'],
    [{ boundary: { retry: { maxAttemps: 5 } } }, 'boundary.retry.maxAttemps', 'maxAttempts'],
    [
      { boundary: { breaker: { failureTreshold: 2 } } },
      'boundary.breaker.failureTreshold',
      'failureThreshold',
    ],
    [{ providers: { audnexsu: {} } }, 'providers.audnexsu', 'audnexus'],
    [{ providers: { audible: { regoin: 'uk' } } }, 'providers.audible.regoin', 'region'],
    [
      { providers: { itunes: { rateLimit: { perMinute: 5, brust: 2 } } } },
      'providers.itunes.rateLimit.brust',
      'burst',
    ],
    [{ providers: { local: { tags: { enabeld: false } } } }, 'providers.local.tags.enabeld', 'enabled'],
    [
      { providers: { local: { libation: { exportPth: '/x' } } } },
      'providers.local.libation.exportPth',
      'exportPath',
    ],
    [
      { providers: { custom: [{ name: 'a', url: 'http://a', weigth: 1 }] } },
      'providers.custom[0].weigth',
      'weight',
    ],
    [
      { providers: { mock: [{ id: 'm', responses: { dune: { fields: {}, matchConfidnce: 1 } } }] } },
      'providers.mock[0].responses.dune.matchConfidnce',
      'matchConfidence',
    ],
    [
      { notifications: { webhooks: [{ url: 'http://h', fromat: 'json' }] } },
      'notifications.webhooks[0].fromat',
      'format',
    ],
    [{ pathMappings: [{ abs: '/a', local: '/b', abss: '/c' }] }, 'pathMappings[0].abss', 'abs'],
    [{ bridge: { fieldPolicy: { titel: 'locked' } } }, 'bridge.fieldPolicy.titel', 'title'],
  ])('%j → %s, did you mean "%s"', (raw, where, meant) => {
    expect(issuesOf(raw)).toEqual([`config: ${where}: unknown key; did you mean "${meant}"?`]);
  });

  it('a key near nothing lists the keys that are valid there', () => {
    expect(issuesOf({ http: { colour: 'red' } })).toEqual([
      'config: http.colour: unknown key (known keys: host, port, token, bodyLimitBytes)',
    ]);
  });

  it('several unknown keys in one object get a line each, beside the other problems', () => {
    expect(issuesOf({ cache: { ur: 'x', negativeTtl: 5 }, http: { port: -1 } })).toEqual([
      'config: cache.ur: unknown key; did you mean "url"?',
      'config: cache.negativeTtl: unknown key (known keys: url, negativeTtlSeconds, searchTtlSeconds)',
      'config: http.port: Too small: expected number to be >=0',
    ]);
  });

  it('suggests only keys that are near', () => {
    expect(nearestKey('maxAttemps', ['maxAttempts', 'maxDelayMs'])).toBe('maxAttempts');
    expect(nearestKey('URL', ['url', 'token'])).toBe('url');
    expect(nearestKey('x', ['url', 'port'])).toBeUndefined();
    expect(nearestKey('something', ['url', 'port'])).toBeUndefined();
  });
});

describe('config problems are named once, by the file or variable they come from', () => {
  const tempDir = () => mkdtempSync(path.join(os.tmpdir(), 'cfg-strict-'));

  it('./config.json problems start with "config.json:", an environment variable names itself', () => {
    const cwd = tempDir();
    writeFileSync(path.join(cwd, 'config.json'), JSON.stringify({ matching: { aply: 0.9 } }));
    expect(() => loadConfig({ cwd, env: { ABS_URL: 'not a url' } })).toThrowError(ConfigError);
    try {
      loadConfig({ cwd, env: { ABS_URL: 'not a url' } });
    } catch (error) {
      expect((error as ConfigError).issues).toEqual([
        'config.json: matching.aply: unknown key; did you mean "apply"?',
        'environment ABS_URL: abs.url: Invalid URL',
      ]);
    }
  });

  describe('abs-bridge doctor', () => {
    afterEach(() => {
      vi.restoreAllMocks();
      process.exitCode = undefined;
    });

    it('prints each problem once, on one line, and exits 2', async () => {
      const dir = tempDir();
      const file = path.join(dir, 'bridge.json');
      writeFileSync(file, JSON.stringify({ logging: { lvl: 'debug' }, http: { port: -1 } }));
      const out: string[] = [];
      vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
        out.push(String(chunk));
        return true;
      });
      expect(await main(['node', 'abs-bridge', '--config', file, 'doctor'])).toBe(2);
      expect(out.join('').trim().split('\n')).toEqual([
        `✖ config: ${file}: logging.lvl: unknown key; did you mean "level"?`,
        `✖ config: ${file}: http.port: Too small: expected number to be >=0`,
      ]);
    });
  });
});
