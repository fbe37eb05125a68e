import { describe, expect, it } from 'vitest';
import { fileNameFromTemplate, safeFileName, truncateUtf8 } from '../../src/formats/filename.js';

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

describe('safeFileName with hostile titles', () => {
  it.each([
    ['../../etc/passwd', '_.._etc_passwd.opf'],
    ['..\\..\\Windows\\win.ini', '_.._Windows_win.ini.opf'],
    ['CON', '_CON.opf'],
    ['nul', '_nul.opf'],
    ['com1.txt', '_com1.txt.opf'],
    ['LPT9', '_LPT9.opf'],
    ['..', 'untitled.opf'],
    ['   ', 'untitled.opf'],
    ['name. . .', 'name.opf'],
    ['.hidden', 'hidden.opf'],
    ['a:b*c?"d"<e>|f', 'a_b_c__d__e__f.opf'],
    ['tab\there\nnew\u0000line\u007f', 'tab here newline.opf'],
    ['invoice\u202Efdp.exe', 'invoicefdp.exe.opf'],
    ['שלום עולם', 'שלום עולם.opf'],
    ['مرحبا بالعالم', 'مرحبا بالعالم.opf'],
    ['Audiobook 🎧📚', 'Audiobook 🎧📚.opf'],
  ])('%j → %j', (input, expected) => {
    expect(safeFileName(input, '.opf')).toBe(expected);
  });

  it('limits 300-character names to 200 UTF-8 bytes and keeps the extension', () => {
    const name = safeFileName('x'.repeat(300), '.opf');
    expect(bytes(name)).toBe(200);
    expect(name.endsWith('.opf')).toBe(true);
  });

  it('never splits a multi-byte character or an emoji cluster when cutting', () => {
    for (const unit of ['é', '中', '🎧', '👩🏽‍🚀', 'ש']) {
      const name = safeFileName(unit.repeat(300), '.opf');
      expect(bytes(name)).toBeLessThanOrEqual(200);
      const stem = name.slice(0, -4);
      expect(stem.length % unit.length).toBe(0);
      expect(stem.replaceAll(unit, '')).toBe('');
    }
  });

  it('truncateUtf8 keeps short text and respects the byte budget', () => {
    expect(truncateUtf8('abc', 10)).toBe('abc');
    expect(truncateUtf8('aé', 2)).toBe('a');
  });
});

describe('fileNameFromTemplate', () => {
  it('fills placeholders and sanitises the result into one name', () => {
    expect(
      fileNameFromTemplate('{author} - {title}.nfo', { title: 'A/B', authors: [{ name: 'X' }] }, 'album.nfo'),
    ).toBe('X - A_B.nfo');
  });
  it('uses the fallback when a placeholder has no value or is unknown', () => {
    expect(fileNameFromTemplate('{asin}.opf', {}, 'metadata.opf')).toBe('metadata.opf');
    expect(fileNameFromTemplate('{nope}.opf', { asin: 'B0' }, 'metadata.opf')).toBe('metadata.opf');
  });
  it('cannot be used to climb out of the folder', () => {
    expect(fileNameFromTemplate('{title}.opf', { title: '../../../x' }, 'metadata.opf')).toBe('_.._.._x.opf');
  });
});
