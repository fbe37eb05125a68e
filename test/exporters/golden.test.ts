import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createDefaultExporters } from '../../src/exporters/index.js';
import type { ExportContext } from '../../src/exporters/types.js';
import { wokAudioFiles, wokMetadata, wokResult } from './sample.js';

// Set UPDATE_GOLDEN=1 to rewrite the golden files after an intended format change (then review the diff).
const update = process.env.UPDATE_GOLDEN === '1';
const goldenUrl = (name: string) => new URL(`../fixtures/exporters/golden/${name}`, import.meta.url);

function matchesGolden(name: string, actual: string): void {
  const url = goldenUrl(name);
  if (update || !existsSync(url)) writeFileSync(url, actual);
  expect(actual).toBe(readFileSync(url, 'utf8'));
}

const metadata = wokMetadata();
const ctx: ExportContext = { audioFiles: wokAudioFiles(), result: wokResult(metadata) };

describe('exporter output matches the golden files', () => {
  const registry = createDefaultExporters();
  it.each(registry.all().map((e) => [e.name, e] as const))('%s', (_name, exporter) => {
    const fileName = exporter.outputPath('/books/wok', metadata, ctx);
    const rendered = exporter.render(metadata, ctx);
    matchesGolden(
      `wok.${fileName}`,
      typeof rendered === 'string' ? rendered : Buffer.from(rendered).toString(),
    );
  });

  it('single-file CUE uses the m4b name and book-relative chapter times', () => {
    const cue = registry.get('cue');
    const single: ExportContext = {
      audioFiles: [{ path: 'The Way of Kings.m4b', durationSeconds: 16.091428 }],
    };
    expect(cue?.outputPath('/b', metadata, single)).toBe('The Way of Kings.cue');
    matchesGolden('wok-single.cue', cue?.render(metadata, single) as string);
  });
});

describe('exporter registry', () => {
  it('lists every format in a stable order', () => {
    expect(createDefaultExporters().names()).toEqual(['cue', 'm3u', 'md', 'metadata.json', 'nfo', 'opf']);
  });
  it('names the unknown format and the valid ones', () => {
    expect(() => createDefaultExporters({ only: ['opf', 'epub'] })).toThrow(
      'unknown export format "epub"; valid formats: metadata.json, opf, nfo, cue, m3u, md',
    );
  });
  it('uses a configured OPF name template and falls back when its value is missing', () => {
    const opf = createDefaultExporters().get('opf');
    expect(opf?.outputPath('/b', metadata, { options: { fileName: '{asin}.opf' } })).toBe('B003ZWFO7E.opf');
    expect(opf?.outputPath('/b', { customFields: {} }, { options: { fileName: '{asin}.opf' } })).toBe(
      'metadata.opf',
    );
  });
});
