import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The layer order and the no-cycle rule of ARCHITECTURE.md ("Layers"), as dependency-cruiser
 * checks them with the repository's .dependency-cruiser.cjs (also run by `npm run lint`).
 */
const repo = path.resolve(import.meta.dirname, '../..');
const config = path.join(repo, '.dependency-cruiser.cjs');
const bin = path.join(repo, 'node_modules/.bin/depcruise');

interface Cruise {
  summary: { violations: { rule: { name: string }; from: string; to: string; cycle?: { name: string }[] }[] };
  modules: { source: string; dependencies: { resolved: string; circular: boolean }[] }[];
}

async function cruise(cwd: string, target: string): Promise<Cruise> {
  const run = promisify(execFile);
  const args = [target, '--config', config, '--output-type', 'json'];
  // depcruise exits non-zero when it finds violations; the report is on stdout either way.
  const out = await run(bin, args, { cwd, maxBuffer: 64 * 1024 * 1024 }).catch((e: { stdout?: string }) => ({
    stdout: e.stdout ?? '',
  }));
  return JSON.parse(out.stdout) as Cruise;
}

const exceptions = createRequire(import.meta.url)(config).temporaryExceptions as {
  imports: { from: string; to: string }[];
  cycles: string[];
};

describe('src/ layers (dependency-cruiser)', () => {
  let result: Cruise;
  beforeAll(async () => {
    result = await cruise(repo, 'src');
  }, 120_000);

  it('has no import cycle and no import from a lower layer to a higher one', () => {
    const violations = result.summary.violations.map((v) =>
      v.cycle
        ? `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(' → ')}`
        : `${v.rule.name}: ${v.from} → ${v.to}`,
    );
    expect(violations).toEqual([]);
  });

  it('every temporary exception is still needed (remove the ones a merge made stale)', () => {
    const importsOf = (file: string) => result.modules.find((m) => m.source === file)?.dependencies ?? [];
    const stale = exceptions.imports.filter(
      (e) => !importsOf(e.from).some((d) => new RegExp(e.to).test(d.resolved)),
    );
    expect(stale).toEqual([]);
    const inCycle = (file: string) => importsOf(file).some((d) => d.circular);
    expect(exceptions.cycles.filter((f) => !inCycle(f))).toEqual([]);
  });
});

describe('the rules bite', () => {
  let dir: string;
  beforeAll(async () => {
    // A throwaway tree shaped like src/: a domain module importing the bridge, and a cycle.
    dir = await mkdtemp(path.join(tmpdir(), 'layers-'));
    const files: Record<string, string> = {
      'src/domain/a.ts': "import { b } from '../bridge/b.js';\nexport const a = b;\n",
      'src/bridge/b.ts': 'export const b = 1;\n',
      'src/matching/x.ts': "import { y } from './y.js';\nexport const x = () => y;\n",
      'src/matching/y.ts': "import { x } from './x.js';\nexport const y = () => x;\n",
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    await writeFile(
      path.join(dir, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { module: 'NodeNext' } }),
    );
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reports a lower layer importing a higher one, and a cycle', async () => {
    const found = (await cruise(dir, 'src')).summary.violations.map((v) => `${v.rule.name} ${v.from}`);
    expect(found).toContain('layer-domain src/domain/a.ts');
    expect(found.filter((f) => f.startsWith('no-circular '))).toEqual(['no-circular src/matching/x.ts']);
  }, 120_000);
});
