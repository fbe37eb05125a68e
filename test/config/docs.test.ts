import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { embedIn } from '../../scripts/config-reference.js';
import { parseConfig } from '../../src/config/load.js';

describe('configuration docs stay true to the schema', () => {
  it('config.example.json is a valid config (unknown keys would fail)', () => {
    const example: unknown = JSON.parse(readFileSync('config.example.json', 'utf8'));
    const config = parseConfig(example, 'config.example.json');
    expect(config.bridge.sidecars).toEqual(['metadata.json', 'opf']);
    expect(config.pathMappings).toHaveLength(1);
  });

  it('the README configuration reference matches the schema', () => {
    const readme = readFileSync('README.md', 'utf8');
    expect(readme, 'run `npx tsx scripts/config-reference.ts --write`').toBe(embedIn(readme));
  });
});

describe('the heap limit is the same wherever the bridge is started', () => {
  it('Dockerfile NODE_OPTIONS (read by the bridge bench), npm start and the README quick start agree', () => {
    const docker = /NODE_OPTIONS="([^"]+)"/.exec(readFileSync('Dockerfile', 'utf8'))?.[1];
    expect(docker).toMatch(/^--max-old-space-size=\d+ --max-semi-space-size=\d+$/);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { scripts: { start: string } };
    expect(pkg.scripts.start).toContain(`node ${docker} dist/cli/main.js run`);
    expect(readFileSync('README.md', 'utf8')).toContain(`node ${docker} dist/cli/main.js run`);
  });
});
