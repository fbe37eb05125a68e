import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { createDefaultExporters } from '../../src/exporters/index.js';
import type { ExportContext } from '../../src/exporters/types.js';
import { canonicalRecord } from '../formats/arbitraries.js';

const XML_FORMATS = new Set(['opf', 'nfo']);
const ctx: ExportContext = {
  audioFiles: [
    { path: 'Part 1.mp3', durationSeconds: 600_000 },
    { path: 'Part 2.mp3', durationSeconds: 600_000 },
  ],
};

// The contract every exporter keeps, whatever the metadata: deterministic output, one safe file
// name, and (for XML formats) a well-formed document.
describe.each(
  createDefaultExporters()
    .all()
    .map((e) => [e.name, e] as const),
)('exporter contract: %s', (_n, exporter) => {
  it('renders deterministically, to a single safe file name, for any record', () => {
    fc.assert(
      fc.property(canonicalRecord, (m) => {
        const first = exporter.render(m, ctx);
        expect(exporter.render(m, ctx)).toEqual(first);
        const name = exporter.outputPath('/books/x', m, ctx);
        expect(name).not.toMatch(/[/\\]/);
        expect(name).not.toMatch(/^\.|[. ]$/);
        expect(Buffer.byteLength(name)).toBeLessThanOrEqual(200);
        expect(name.endsWith(exporter.fileExtension)).toBe(true);
        if (XML_FORMATS.has(exporter.name)) expect(XMLValidator.validate(first as string)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('renders an empty record', () => {
    expect(typeof exporter.render({ customFields: {} }, ctx)).toBe('string');
  });
});
