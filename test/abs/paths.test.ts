import { describe, expect, it } from 'vitest';
import { createPathMapper } from '../../src/abs/paths.js';

const mapper = createPathMapper([
  { abs: '/audiobooks', local: '/mnt/nas/books' },
  { abs: '/audiobooks/kids', local: '/mnt/kids/' },
  { abs: '/podcasts/', local: '/srv/pods' },
]);

describe('path mapping', () => {
  it.each([
    ['/audiobooks/Andy Weir/Project Hail Mary', '/mnt/nas/books/Andy Weir/Project Hail Mary'],
    ['/audiobooks', '/mnt/nas/books'],
    ['/audiobooks/', '/mnt/nas/books'],
    ['/audiobooks/kids/Gruffalo', '/mnt/kids/Gruffalo'], // longest prefix wins
    ['/audiobooks/kidsstuff/X', '/mnt/nas/books/kidsstuff/X'], // not a separator boundary
    ['/audiobooks2/Other', null], // `/audiobooks` must not match `/audiobooks2`
    ['/podcasts/Show/ep1.mp3', '/srv/pods/Show/ep1.mp3'],
    ['/audiobooks//A/./B/../C', '/mnt/nas/books/A/C'],
    ['/elsewhere/x', null],
  ])('toLocal(%j) → %j', (abs, local) => {
    expect(mapper.toLocal(abs)).toBe(local);
  });

  it.each([
    ['/mnt/nas/books/Andy Weir/Project Hail Mary', '/audiobooks/Andy Weir/Project Hail Mary'],
    ['/mnt/kids/Gruffalo', '/audiobooks/kids/Gruffalo'],
    ['/mnt/nas/books2/x', null],
    ['C:\\books\\x', null],
  ])('toAbs(%j) → %j', (local, abs) => {
    expect(mapper.toAbs(local)).toBe(abs);
  });

  it('round-trips every mapped path', () => {
    const p = '/audiobooks/Brandon Sanderson/The Stormlight Archive/Book 1 - The Way of Kings';
    expect(mapper.toAbs(mapper.toLocal(p) as string)).toBe(p);
  });

  it('passes paths through unchanged when no mapping is configured (bridge beside ABS)', () => {
    expect(createPathMapper([]).toLocal('/audiobooks/A/')).toBe('/audiobooks/A');
  });

  it('maps a root mount', () => {
    const root = createPathMapper([{ abs: '/', local: '/mnt/abs-root' }]);
    expect(root.toLocal('/audiobooks/A')).toBe('/mnt/abs-root/audiobooks/A');
    expect(root.toAbs('/mnt/abs-root/audiobooks/A')).toBe('/audiobooks/A');
  });
});
