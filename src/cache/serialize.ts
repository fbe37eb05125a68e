import { defaultDeserialize } from '@keyv/serialize';

/**
 * Keyv's default serializer walks every value in JavaScript and its deserializer runs
 * `JSON.parse` with a reviver (to restore Buffers and `:`-escaped strings); for item records and
 * provider results that was the largest single CPU cost of a warm backfill. Nothing the bridge
 * stores holds a Buffer, so plain JSON is exact for it and several times faster.
 */
export function serializeJson(data: unknown): string {
  return JSON.stringify(data ?? null);
}

/**
 * Reads plain JSON, and entries written with Keyv's default serializer before this change:
 * those are recognised by its escapes (`"::…"` for a string starting with a colon, `":base64:…"`
 * for a Buffer) and read with the old reviver. A new entry holding a string that itself starts
 * with `::` would be read one colon short — no field the bridge stores starts that way.
 */
export function deserializeJson<T>(raw: string): T | undefined {
  if (typeof raw !== 'string') return raw as T | undefined;
  if (raw.includes('"::') || raw.includes('":base64:')) return defaultDeserialize(raw) as T;
  return JSON.parse(raw) as T;
}

/** The serializer options for every Keyv the bridge opens on SQLite or Redis. */
export const jsonSerialization = { serialize: serializeJson, deserialize: deserializeJson } as const;
