/** One audiobook of the benchmark catalogue (derived from the Kaggle Audible export). */
export interface CatalogueRecord {
  /** Fake, stable ASIN. */
  asin: string;
  title: string;
  subtitle?: string;
  authors: string[];
  narrators: string[];
  minutes: number;
  /** YYYY-MM-DD. */
  released: string;
  /** Lower-case English word, as Audible sends it ("english", "german"). */
  language: string;
  /** Number of ratings: the popularity the mock search boosts. */
  ratings: number;
  series?: { title: string; sequence: string };
}

export interface CatalogueFile {
  source: string;
  records: CatalogueRecord[];
}
