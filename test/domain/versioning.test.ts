import { describe, expect, it } from 'vitest';
import { CanonicalMetadataSchema } from '../../src/domain/metadata.js';
import {
  migrateMetadata,
  readVersioned,
  SCHEMA_VERSION,
  wrapVersioned,
} from '../../src/domain/versioning.js';
import { ValidationError } from '../../src/errors.js';

const v1 = {
  title: 'The Final Empire',
  author: 'Brandon Sanderson',
  narrator: 'Michael Kramer & Kate Reading',
  series_name: 'Mistborn',
  series_position: 1,
  year: 2006,
  genres: 'Fantasy, Epic',
  duration_minutes: 1490,
  asin: 'B002UZMLXM',
  custom: { shelf: 'A3', read: true },
};

describe('schema migrations', () => {
  it('migrates the 1.0.0 flat shape to the current canonical shape', () => {
    const out = migrateMetadata(v1, '1.0.0');
    expect(out.schemaVersion).toBe(SCHEMA_VERSION);
    expect(out.migratedFrom).toBe('1.0.0');
    expect(out.data).toEqual({
      title: 'The Final Empire',
      authors: [{ name: 'Brandon Sanderson' }],
      narrators: ['Michael Kramer', 'Kate Reading'],
      series: [{ name: 'Mistborn', sequence: '1' }],
      publishedYear: '2006',
      genres: ['Fantasy', 'Epic'],
      durationSeconds: 89_400,
      asin: 'B002UZMLXM',
      customFields: { shelf: 'A3', read: true },
    });
  });

  it('passes current data through unchanged and validates it', () => {
    const data = CanonicalMetadataSchema.parse({ title: 'X', customFields: { a: 1 } });
    expect(readVersioned(wrapVersioned(data))).toEqual({ schemaVersion: SCHEMA_VERSION, data });
  });

  it('refuses unknown versions, naming the version and the source', () => {
    expect(() => migrateMetadata({}, '9.9.9', 'cache entry x')).toThrowError(
      /cache entry x.*unknown schema version "9.9.9"/,
    );
  });

  it('reports every invalid field after migration', () => {
    try {
      migrateMetadata({ title: 5, durationSeconds: -1 }, SCHEMA_VERSION, 'sidecar.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ValidationError);
      const issues = (error as ValidationError).issues.join('\n');
      expect(issues).toMatch(/title/);
      expect(issues).toMatch(/durationSeconds/);
    }
  });

  it('rejects a value that is not a versioned wrapper', () => {
    expect(() => readVersioned({ title: 'x' }, 'old.json')).toThrowError(/old.json/);
  });
});
