/**
 * True when a "text" is really binary data: NUL characters, or more than 1 in 10 characters
 * control codes or undecodable bytes (U+FFFD). ABS imports a binary `desc.txt` as a description;
 * such a value is neither evidence nor worth keeping.
 */
export function looksBinary(text: string): boolean {
  if (text.includes('\u0000')) return true;
  const sample = text.slice(0, 4096);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: counting control characters is the point
  const controls = sample.match(/[\u0001-\u0008\u000e-\u001f\u007f\ufffd]/g)?.length ?? 0;
  return sample.length > 0 && controls / sample.length > 0.1;
}
