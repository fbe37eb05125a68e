/**
 * A pure string function with its answers remembered: scoring compares the item with every
 * candidate of every search, so the item's own title and names are folded again and again
 * (folding them again was about a quarter of scoring CPU in a cold backfill). The memory is
 * bounded: when `max` answers are held they are all dropped and it starts again.
 */
export function memoizeText<T>(fn: (text: string) => T, max = 20_000): (text: string) => T {
  const answers = new Map<string, T>();
  return (text: string) => {
    const known = answers.get(text);
    if (known !== undefined) return known;
    if (answers.size >= max) answers.clear();
    const answer = fn(text);
    answers.set(text, answer);
    return answer;
  };
}
