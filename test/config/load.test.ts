import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheUrlOf, loadConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/errors.js';

function writeConfig(content: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
  const file = path.join(dir, 'config.json');
  writeFileSync(file, content);
  return file;
}

describe('config', () => {
  it('fills every default from an empty file', () => {
    const config = loadConfig({ path: writeConfig('{}'), env: {} });
    expect(config.providers.audnexus.baseUrl).toBe('https://api.audnex.us');
    expect(config.providers.audnexus.rateLimit).toEqual({ perMinute: 90, burst: 10 });
    expect(config.http.host).toBe('127.0.0.1');
    expect(config.bridge.triggerTag).toBe('bridge:rematch');
    expect(cacheUrlOf(config)).toMatch(/^sqlite:\/\/.*data\/cache\.sqlite$/);
  });

  it('lists every problem with its path', () => {
    const file = writeConfig(
      JSON.stringify({
        http: { port: 'x' },
        providers: { custom: [{ name: 'bad name', url: 'nope' }] },
        matching: { apply: 2 },
      }),
    );
    try {
      loadConfig({ path: file, env: {} });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const issues = (error as ConfigError).issues;
      expect(issues.some((i) => i.includes('http.port'))).toBe(true);
      expect(issues.some((i) => i.includes('providers.custom[0].name'))).toBe(true);
      expect(issues.some((i) => i.includes('providers.custom[0].url'))).toBe(true);
      expect(issues.some((i) => i.includes('matching.apply'))).toBe(true);
    }
  });

  it('names the file on invalid JSON and on a missing --config file', () => {
    const file = writeConfig('{ "http": ');
    expect(() => loadConfig({ path: file, env: {} })).toThrowError(/config\.json: invalid JSON/);
    expect(() => loadConfig({ path: '/nonexistent/c.json', env: {} })).toThrowError(
      /c\.json: file not found/,
    );
  });

  it('takes secrets from the environment over the file', () => {
    const file = writeConfig(JSON.stringify({ abs: { url: 'http://file:1', apiKey: 'from-file' } }));
    const config = loadConfig({
      path: file,
      env: { ABS_API_KEY: 'from-env', ABS_BRIDGE_HTTP_TOKEN: 't0k', HARDCOVER_TOKEN: 'hc' },
    });
    expect(config.abs.apiKey).toBe('from-env');
    expect(config.abs.url).toBe('http://file:1');
    expect(config.http.token).toBe('t0k');
    expect(config.providers.hardcover.token).toBe('hc');
    expect(config.providers.hardcover.enabled).toBe(true);
  });

  it('uses no file when none is given and ./config.json is absent', () => {
    const cwd = mkdtempSync(path.join(os.tmpdir(), 'cfg-'));
    expect(loadConfig({ cwd, env: {} }).dataDir).toBe('./data');
  });
});
