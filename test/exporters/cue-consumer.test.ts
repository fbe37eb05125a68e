import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildCue, cueTime } from '../../src/formats/cue.js';
import { wokAudioFiles, wokMetadata } from './sample.js';

const hasCuetools = spawnSync('cueprint', ['-V']).status === 0;
if (!hasCuetools)
  console.warn('SKIPPED: cuetools (cueprint) is not installed; CUE sheets were not checked by a real parser');

function writeCue(content: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cue-')), 'book.cue');
  writeFileSync(file, content);
  return file;
}

describe('cueTime', () => {
  it.each([
    [0, '00:00:00'],
    [9.5, '00:09:38'],
    [61.0133, '01:01:01'],
    [36000, '600:00:00'],
    [59.9999, '01:00:00'],
  ])('%f s → %s', (seconds, expected) => expect(cueTime(seconds)).toBe(expected));
});

describe('buildCue errors', () => {
  it('needs audio files', () => {
    expect(() => buildCue(wokMetadata(), [])).toThrow(/cue: .*needs the audio files/);
  });
  it('names the file whose missing duration makes chapter placement impossible', () => {
    expect(() => buildCue(wokMetadata(), [{ path: 'a.mp3' }, { path: 'b.mp3' }])).toThrow(
      /no duration for a\.mp3/,
    );
  });
});

describe.skipIf(!hasCuetools)('real consumer: cuetools', () => {
  it('cueprint reads the multi-file sheet: disc title, performer and every track title', () => {
    const file = writeCue(buildCue(wokMetadata(), wokAudioFiles()));
    const disc = execFileSync('cueprint', ['-d', '%T|%P|%N\n', '-t', '', file], { encoding: 'utf8' });
    expect(disc.trim()).toBe('The Way of Kings|Brandon Sanderson|4');
    const tracks = execFileSync('cueprint', ['-d', '', '-t', '%n|%t\n', file], { encoding: 'utf8' });
    expect(tracks.trim().split('\n')).toEqual([
      "1|Prelude to 'The Stormlight Archive'",
      '2|Chapter 1: Stormblessed',
      '3|Chapter 1: Stormblessed',
      '4|Chapter 2: Honor Is Dead',
    ]);
  });

  it('cuebreakpoints gives the chapter starts of a single-file book in file time', () => {
    const file = writeCue(
      buildCue(wokMetadata(), [{ path: 'The Way of Kings.m4b', durationSeconds: 16.09 }]),
    );
    const points = execFileSync('cuebreakpoints', [file], { encoding: 'utf8' }).trim().split('\n');
    // 9.5 s = 0:09 and 37.5 → 38 frames.
    expect(points).toEqual(['0:04.00', '0:09.38']);
  });

  it('cueprint rejects a malformed sheet, so the checks above are real', () => {
    const file = writeCue('garbage FILE\n');
    expect(spawnSync('cueprint', [file]).status).not.toBe(0);
  });
});
