import { describe, expect, it } from 'vitest';
import { looksBinary } from '../../src/domain/binary-text.js';

describe('looksBinary', () => {
  it('text in any script, with tabs and newlines, is text', () => {
    expect(looksBinary('A story.\n\tTold in Calder — “quoted”, naïve, 東京.')).toBe(false);
    expect(looksBinary('')).toBe(false);
  });
  it('NUL characters or many control codes or undecodable bytes are binary', () => {
    expect(looksBinary('abc\u0000def')).toBe(true);
    expect(looksBinary('\u0001\u0002\u0003abcdefgh')).toBe(true);
    expect(looksBinary('\ufffd\ufffd\ufffdabcdef')).toBe(true);
  });
});
