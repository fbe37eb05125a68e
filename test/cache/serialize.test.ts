import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defaultSerialize } from '@keyv/serialize';
import { afterEach, describe, expect, it } from 'vitest';
import { openStateStore } from '../../src/bridge/state/state-store.js';
import { deserializeJson, serializeJson } from '../../src/cache/serialize.js';
import { createKeyValueStore } from '../../src/cache/store.js';
import { itemRecord, writeOldLayoutFile } from './sqlite-file.js';

const record = {
  itemId: 'li_1',
  title: 'Les Misérables — 第一部',
  confidence: 0.93,
  description: '<p>a "quoted" <b>summary</b>\n</p>',
  nested: { list: [1, 'two', null, { three: true }], empty: {} },
  skipped: undefined,
};

describe('JSON serialization for Keyv', () => {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  });
  const tempFile = async (name: string) => {
    const dir = await mkdtemp(path.join(tmpdir(), 'serialize-'));
    dirs.push(dir);
    return path.join(dir, name);
  };

  it('round-trips values exactly as JSON does (undefined fields dropped)', () => {
    const { skipped: _, ...expected } = record;
    expect(deserializeJson(serializeJson({ value: record, expires: null }))).toEqual({
      value: expected,
      expires: null,
    });
    expect(serializeJson(undefined)).toBe('null');
  });

  it("reads entries written by Keyv's default serializer, escapes included", () => {
    const legacy = '{"value":{"title":"::starts with a colon","bytes":":base64:aGk="},"expires":null}';
    const read = deserializeJson<{ value: { title: string; bytes: Buffer } }>(legacy);
    expect(read?.value.title).toBe(':starts with a colon');
    expect(Buffer.isBuffer(read?.value.bytes)).toBe(true);
  });

  it('reads a SQLite cache written with the old serializer through the new store', async () => {
    const file = await tempFile('cache.sqlite');
    // Keyv's default serializer, as the cache used before (the table is unchanged).
    await writeOldLayoutFile(file, [
      ['cache:k', defaultSerialize({ value: { title: ':colon first', n: 1 }, expires: null })],
    ]);
    const store = createKeyValueStore(`sqlite://${file}`, 'cache');
    expect(await store.get('k')).toEqual({ title: ':colon first', n: 1 });
    await store.set('k2', { title: ':colon first' });
    expect(await store.get('k2')).toEqual({ title: ':colon first' });
    await store.close();
  });

  it('keeps item records intact in the SQLite state store', async () => {
    const file = await tempFile('state.sqlite');
    const state = openStateStore(`sqlite://${file}`);
    const item = itemRecord('li_1', { title: record.title });
    await state.putItem(item);
    expect(await state.getItem('li_1')).toEqual(item);
    await state.close();
  });
});
