/**
 * Characters XML 1.0 cannot carry at all (C0 controls other than tab/LF/CR, lone surrogates, U+FFFE/F).
 * A value containing one would make the whole file unparseable, so writers drop them.
 */
const ch = (code: number) => String.fromCharCode(code);
// Built from code points rather than a literal so no control character sits in the source.
const XML_INVALID = new RegExp(
  `[${ch(0)}-${ch(8)}${ch(0xb)}${ch(0xc)}${ch(0xe)}-${ch(0x1f)}${ch(0xfffe)}${ch(0xffff)}]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]`,
  'g',
);

/** Removes characters XML 1.0 forbids; escaping of `<`, `&` etc. is left to the XML builder. */
export function xmlSafe(text: string): string {
  return text.replace(XML_INVALID, '');
}

/** "Ursula K. Le Guin" → "Guin, Ursula K. Le"; keeps one-word names and already inverted ones as they are. */
export function fileAs(name: string): string {
  const trimmed = name.trim();
  if (trimmed.includes(',')) return trimmed;
  const parts = trimmed.split(/\s+/);
  if (parts.length < 2) return trimmed;
  const last = parts.pop() as string;
  return `${last}, ${parts.join(' ')}`;
}
