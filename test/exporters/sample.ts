import type { AggregatedResult } from '../../src/domain/aggregated.js';
import type { CanonicalMetadata } from '../../src/domain/metadata.js';
import type { ExportAudioFile } from '../../src/exporters/types.js';
import { itemToCanonical, loadItem } from '../formats/abs-item.js';

/** The Way of Kings as ABS stored it (read from an OPF), plus chapters that cross its two files. */
export function wokMetadata(): CanonicalMetadata {
  return {
    ...itemToCanonical(loadItem('item_wok_expanded.json')),
    description: '<p>Roshar is a world of <b>stone</b> &amp; storms.</p><script>x()</script>',
    tags: ['epic', 'to-listen'],
    rating: 4.5,
    chapters: [
      { start: 0, end: 4, title: 'Prelude to "The Stormlight Archive"' },
      { start: 4, end: 9.5, title: 'Chapter 1: Stormblessed' },
      { start: 9.5, end: 16.091428, title: 'Chapter 2: Honor Is Dead' },
    ],
  };
}

/** The item's two recorded audio files with their recorded durations. */
export function wokAudioFiles(): ExportAudioFile[] {
  return loadItem('item_wok_expanded.json').media.audioFiles.map((f) => ({
    path: f.metadata.relPath,
    durationSeconds: f.duration,
  }));
}

/** An aggregation behind wokMetadata, with one conflict and one failed provider. */
export function wokResult(metadata: CanonicalMetadata): AggregatedResult {
  const at = '2026-01-02T03:04:05.000Z';
  const prov = (provider: string, confidence: number, value: unknown) => ({
    provider,
    confidence,
    value,
    cached: false,
    fetchedAt: at,
  });
  return {
    metadata,
    sources: {
      title: 'local-sidecars',
      authors: 'audible',
      narrators: 'audible',
      publisher: 'audible',
      series: 'audnexus',
    },
    provenance: {
      title: [prov('local-sidecars', 0.9, metadata.title), prov('audible', 0.85, 'The Way of Kings')],
      authors: [prov('audible', 0.95, metadata.authors)],
      narrators: [prov('audible', 0.95, metadata.narrators)],
      publisher: [prov('audible', 0.8, 'Macmillan Audio'), prov('googlebooks', 0.6, 'Tor Books')],
      series: [prov('audnexus', 0.9, metadata.series)],
    },
    conflicts: [
      {
        field: 'publisher',
        values: [
          { provider: 'audible', value: 'Macmillan Audio', confidence: 0.8 },
          { provider: 'googlebooks', value: 'Tor | Books', confidence: 0.6 },
        ],
      },
    ],
    missing: ['subtitle', 'cover'],
    fetchedAt: at,
    providerTimings: { audible: 120, googlebooks: 80 },
    providers: [
      {
        provider: 'audible',
        kind: 'network',
        status: 'found',
        matchConfidence: 0.96,
        cached: false,
        durationMs: 120,
      },
      {
        provider: 'googlebooks',
        kind: 'network',
        status: 'error',
        matchConfidence: 0,
        cached: false,
        durationMs: 80,
        error: { code: 'HTTP_503', message: 'googlebooks: service unavailable', retryable: true },
      },
    ],
    confidence: 0.96,
    runnerUpConfidence: 0.4,
    candidates: [],
    context: {} as AggregatedResult['context'],
  } as AggregatedResult;
}
