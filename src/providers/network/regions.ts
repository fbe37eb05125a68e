/** Audible marketplaces Audnexus and the Audible catalog both serve. */
export const REGIONS = ['us', 'uk', 'ca', 'au', 'de', 'fr', 'it', 'es', 'jp', 'in'] as const;
export type Region = (typeof REGIONS)[number];

/** Audible API host per region (`api.audible.{tld}`). */
export const AUDIBLE_TLD: Record<Region, string> = {
  us: 'com',
  uk: 'co.uk',
  ca: 'ca',
  au: 'com.au',
  de: 'de',
  fr: 'fr',
  it: 'it',
  es: 'es',
  jp: 'co.jp',
  in: 'in',
};

/** A context region when it is a known one, else the configured default. */
export function pickRegion(contextRegion: string | undefined, fallback: Region): Region {
  const r = contextRegion?.trim().toLowerCase();
  return (REGIONS as readonly string[]).includes(r ?? '') ? (r as Region) : fallback;
}

/** The preferred region first, then every other one (for REGION_UNAVAILABLE retries). */
export function regionOrder(first: Region): Region[] {
  return [first, ...REGIONS.filter((r) => r !== first)];
}
