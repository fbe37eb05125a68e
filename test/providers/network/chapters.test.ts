import { describe, expect, it } from 'vitest';
import { checkChapters } from '../../../src/providers/network/audnexus/chapters.js';
import { AudnexusChaptersSchema } from '../../../src/providers/network/audnexus/schema.js';
import { load } from './helpers.js';

// Project Hail Mary: runtime 58,252.995 s, brand intro 2.043 s, outro 5.061 s.
const phm = AudnexusChaptersSchema.parse(load('audnexus/chapters-B08G9PRS1K.spec-example.json'));
const runtime = phm.runtimeLengthMs / 1000;

describe('checkChapters', () => {
  it.each([
    { file: runtime, fit: 'as-is', firstChapterStart: 13.307 },
    { file: runtime - 2.043 - 5.061, fit: 'branding-stripped', firstChapterStart: 13.307 - 2.043 },
    { file: runtime - 2.043 - 5.061 + 0.4, fit: 'branding-stripped', firstChapterStart: 13.307 - 2.043 },
    { file: runtime - 5.061, fit: 'outro-stripped', firstChapterStart: 13.307 },
  ])('a $fit file of $file s gets chapters ending at the file end', ({ file, fit, firstChapterStart }) => {
    const check = checkChapters(phm, file);
    expect(check.fit).toBe(fit);
    expect(check.chapters?.[0]?.start).toBe(0);
    expect(check.chapters?.[1]?.start).toBeCloseTo(firstChapterStart, 3);
    expect(check.chapters?.at(-1)?.end).toBe(file);
    expect(check.chapters).toHaveLength(phm.chapters.length);
  });

  it('rejects chapters for a file of another length, and says why', () => {
    const check = checkChapters(phm, runtime - 600);
    expect(check.chapters).toBeUndefined();
    expect(check.fit).toBe('rejected');
    expect(check.notes.join(' ')).toMatch(/16h10m53s.*16h00m53s/);
  });

  it('keeps chapters unchecked when the duration is unknown, with lower confidence', () => {
    const check = checkChapters(phm, undefined);
    expect(check.fit).toBe('unchecked');
    expect(check.confidence).toBeLessThan(0.8);
    expect(check.notes[0]).toMatch(/not checked/);
  });

  it('flags isAccurate:false offsets', () => {
    const check = checkChapters({ ...phm, isAccurate: false }, runtime);
    expect(check.confidence).toBe(0.6);
    expect(check.notes[0]).toMatch(/inaccurate/);
  });

  it.each([
    'chapters-B017V4IM1G.derived.json',
    'chapters-B079LRSMNN.json',
    'chapters-B08C6YJ1LS.derived.json',
  ])('%s: chapters are ordered and inside the runtime', (file) => {
    const source = AudnexusChaptersSchema.parse(load(`audnexus/${file}`));
    const check = checkChapters(source, source.runtimeLengthMs / 1000);
    expect(check.fit).toBe('as-is');
    for (const [i, c] of (check.chapters ?? []).entries()) {
      expect(c.end).toBeGreaterThan(c.start);
      if (i > 0) expect(c.start).toBeCloseTo(check.chapters?.[i - 1]?.end ?? -1, 3);
    }
  });
});
