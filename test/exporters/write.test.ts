import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CanonicalMetadata } from '../../src/domain/metadata.js';
import { EventBus } from '../../src/events/bus.js';
import { createDefaultExporters, writeExport } from '../../src/exporters/index.js';
import type { MetadataExporter } from '../../src/exporters/types.js';
import { writeExportFile } from '../../src/exporters/write.js';
import { silentLogger } from '../../src/logging.js';

const tempDir = (prefix: string) => mkdtempSync(path.join(tmpdir(), prefix));
const HOSTILE = [
  '../../etc/passwd',
  'CON',
  'x'.repeat(300),
  '🎧'.repeat(120),
  'שלום/עולם',
  '..',
  'a\\..\\..\\b',
];

describe('writeExport with hostile titles', () => {
  it.each(HOSTILE)('keeps %j inside the target folder', async (title) => {
    const dir = tempDir('export-hostile-');
    const meta: CanonicalMetadata = { title, customFields: {} };
    const registry = createDefaultExporters();
    const audioFiles = [{ path: 'a.mp3', durationSeconds: 10 }];
    for (const exporter of registry.all()) {
      const ctx = { audioFiles, options: { fileName: '{title}' + exporter.fileExtension } };
      const written = await writeExport(exporter, meta, dir, { ctx });
      expect(path.dirname(written)).toBe(dir);
      expect(Buffer.byteLength(path.basename(written))).toBeLessThanOrEqual(200);
    }
    // Nothing was created anywhere but the folder itself, and no temp files are left behind.
    expect(readdirSync(dir).sort()).toHaveLength(registry.all().length);
  });

  it('refuses an exporter whose path escapes the folder, and writes nothing', async () => {
    const dir = tempDir('export-escape-');
    const evil: MetadataExporter = {
      name: 'evil',
      fileExtension: '.txt',
      description: 'climbs out',
      render: () => 'x',
      outputPath: () => '../escaped.txt',
    };
    await expect(writeExport(evil, { customFields: {} }, dir)).rejects.toThrow(/outside/);
    expect(readdirSync(path.dirname(dir)).includes('escaped.txt')).toBe(false);
  });

  it('returns the final path and emits export.complete', async () => {
    const dir = tempDir('export-event-');
    const events = new EventBus(silentLogger());
    const seen: unknown[] = [];
    events.on('export.complete', (e) => {
      seen.push(e);
    });
    const opf = createDefaultExporters({ only: ['opf'] }).get('opf') as MetadataExporter;
    const written = await writeExport(opf, { title: 'T', customFields: {} }, dir, {
      ctx: { itemId: 'li_1' },
      events,
    });
    expect(written).toBe(path.join(dir, 'metadata.opf'));
    expect(seen).toEqual([{ exporter: 'opf', path: written, itemId: 'li_1' }]);
  });

  it('writeExportFile returns the size and mtime a later stat sees, and keeps the mode passed in', async () => {
    const dir = tempDir('export-stat-');
    const opf = createDefaultExporters({ only: ['opf'] }).get('opf') as MetadataExporter;
    writeFileSync(path.join(dir, 'metadata.opf'), 'old');
    const written = await writeExportFile(opf, { title: 'T', customFields: {} }, dir, {
      existing: { mode: 0o100604 },
    });
    const onDisk = statSync(written.path);
    expect(written).toEqual({
      path: path.join(dir, 'metadata.opf'),
      size: onDisk.size,
      mtimeMs: onDisk.mtimeMs,
    });
    expect(onDisk.mode & 0o777).toBe(0o604);
  });
});

/** Child: rewrites `target` through atomicWrite in a loop, alternating two large contents. */
const CHILD = `
import { atomicWrite } from ${JSON.stringify(path.resolve('src/fs/atomic-write.ts'))};
const [target] = process.argv.slice(2);
const a = 'A'.repeat(4 * 1024 * 1024);
const b = 'B'.repeat(6 * 1024 * 1024);
process.stdout.write('ready\\n');
for (let i = 0; ; i++) await atomicWrite(target, i % 2 ? a : b);
`;

describe('crash safety', () => {
  it('a write killed midway leaves the old or the new file, never a partial one', async () => {
    const dir = tempDir('export-crash-');
    const target = path.join(dir, 'metadata.json');
    const script = path.join(dir, 'child.mts');
    writeFileSync(script, CHILD);
    writeFileSync(target, 'A'.repeat(4 * 1024 * 1024));
    for (let round = 0; round < 5; round++) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, target], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early with ${code}`)));
      });
      // Let it get into the middle of a few writes, then kill it without warning.
      await new Promise((r) => setTimeout(r, 150 + round * 60));
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      const content = readFileSync(target, 'utf8');
      const whole = content === 'A'.repeat(4 * 1024 * 1024) || content === 'B'.repeat(6 * 1024 * 1024);
      expect(whole, `round ${round}: ${content.length} bytes`).toBe(true);
    }
  });
});
