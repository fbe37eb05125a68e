/**
 * Exporter speed: render time per format for a realistic book (60 chapters over 12 files, HTML
 * description), parse time of our metadata.json and OPF, and atomic-write latency (fsync included)
 * on this machine's temp file system.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { CanonicalMetadata } from '../src/domain/metadata.js';
import { createDefaultExporters, writeExport } from '../src/exporters/index.js';
import type { ExportContext } from '../src/exporters/types.js';
import { buildAbsMetadataJson, parseAbsMetadataJson } from '../src/formats/abs-metadata-json.js';
import { buildOpf, parseOpf } from '../src/formats/opf.js';

function book(): { metadata: CanonicalMetadata; ctx: ExportContext } {
  const chapters = Array.from({ length: 60 }, (_, i) => ({
    start: i * 1800,
    end: (i + 1) * 1800,
    title: `Chapter ${i + 1}`,
  }));
  const metadata: CanonicalMetadata = {
    title: 'The Way of Kings',
    subtitle: 'The Stormlight Archive, Book 1',
    authors: [{ name: 'Brandon Sanderson' }],
    narrators: ['Michael Kramer', 'Kate Reading'],
    series: [{ name: 'The Stormlight Archive', sequence: '1' }],
    genres: ['Fantasy', 'Epic'],
    tags: ['epic'],
    description: `<p>${'Roshar is a world of <b>stone</b> &amp; storms. '.repeat(40)}</p><script>x()</script>`,
    publisher: 'Macmillan Audio',
    publishedYear: '2010',
    language: 'English',
    isbn: '9780765326355',
    asin: 'B003ZWFO7E',
    chapters,
    customFields: {},
  };
  const audioFiles = Array.from({ length: 12 }, (_, i) => ({
    path: `Part ${i + 1}.mp3`,
    durationSeconds: 9000,
  }));
  return { metadata, ctx: { audioFiles } };
}

function perOp(fn: () => void, iterations: number): number {
  for (let i = 0; i < Math.min(200, iterations); i++) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) fn();
  return Number(process.hrtime.bigint() - start) / 1e3 / iterations;
}

export default async function run(): Promise<Record<string, unknown>> {
  const { metadata, ctx } = book();
  const registry = createDefaultExporters();
  const renderUs: Record<string, number> = {};
  for (const e of registry.all())
    renderUs[e.name] = Math.round(perOp(() => e.render(metadata, ctx), 2000) * 10) / 10;
  const json = buildAbsMetadataJson(metadata);
  const opf = buildOpf(metadata);
  const parseUs = {
    'metadata.json': Math.round(perOp(() => parseAbsMetadataJson(json, 'bench'), 2000) * 10) / 10,
    opf: Math.round(perOp(() => parseOpf(opf, 'bench'), 2000) * 10) / 10,
  };
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-export-'));
  const writes: number[] = [];
  const exporter = registry.get('metadata.json');
  if (!exporter) throw new Error('metadata.json exporter missing');
  for (let i = 0; i < 200; i++) {
    const start = process.hrtime.bigint();
    await writeExport(exporter, metadata, dir);
    writes.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  rmSync(dir, { recursive: true, force: true });
  writes.sort((a, b) => a - b);
  const atomicWriteMs = {
    p50: Math.round((writes[100] ?? 0) * 100) / 100,
    p95: Math.round((writes[190] ?? 0) * 100) / 100,
  };
  console.log('render µs per book:', renderUs);
  console.log('parse µs per file:', parseUs);
  console.log('atomic write of metadata.json (fsync) ms:', atomicWriteMs);
  return { renderUs, parseUs, atomicWriteMs };
}
