import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io } from 'socket.io-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';

/**
 * Replays the recorded ABS 2.36 requests against the fake, starting from the recorded state
 * before each request, and checks the fake answers exactly what real ABS answered.
 */
const dir = new URL('../fixtures/abs/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, dir), 'utf8'));
const request = (name: string) =>
  load(`requests/${name}.request.json`) as { method: string; path: string; body: unknown };
/** The item state a fixture shows (a PATCH response wraps it in `libraryItem`). */
const itemOf = (name: string) => {
  const body = load(`${name}.json`);
  return (body.libraryItem ?? body) as Record<string, unknown>;
};

type Meta = {
  authors: { id?: string; name: string }[];
  series: { id?: string; name: string; sequence: string | null }[];
};
function withoutIds(item: Record<string, unknown>) {
  const media = item.media as { metadata: Meta & Record<string, unknown>; tags: string[] };
  const m = media.metadata;
  return {
    metadata: {
      ...m,
      authors: m.authors.map(({ name }) => ({ name })),
      series: m.series.map(({ name, sequence }) => ({ name, sequence })),
    },
    tags: media.tags,
  };
}

let fake: FakeAbs | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

async function send(f: FakeAbs, req: { method: string; path: string; body: unknown }) {
  const res = await fetch(`${f.url}${req.path}`, {
    method: req.method,
    headers: { authorization: `Bearer ${f.apiKey}`, 'content-type': 'application/json' },
    ...(req.body === null ? {} : { body: JSON.stringify(req.body) }),
  });
  const text = await res.text();
  return {
    status: res.status,
    text,
    json: text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined,
  };
}

const PATCH_CHAIN: [before: string, patch: string][] = [
  ['20b_item_get_expanded_phm', '30_patch_media_phm'],
  ['30_patch_media_phm', '30b_patch_media_phm_identical_noop'],
  ['30b_patch_media_phm_identical_noop', '30c_patch_media_phm_clean_identical_noop'],
  ['20f_item_get_expanded_psalm', '31_patch_gotcha_tags_in_metadata_numeric_sequence'],
  ['31_patch_gotcha_tags_in_metadata_numeric_sequence', '31b_patch_gotcha_authors_as_strings'],
  ['31b_patch_gotcha_authors_as_strings', '31c_patch_restore_authors_objects'],
  ['31c_patch_restore_authors_objects', '31d_patch_invalid_types'],
  ['31d_patch_invalid_types', '31e_patch_clear_with_null'],
  ['31e_patch_clear_with_null', '31f_patch_clear_with_empty_string'],
  ['33_patch_empty_string_repeat1', '33b_patch_empty_string_repeat2'],
  ['33b_patch_empty_string_repeat2', '33c_patch_unsanitized_desc_repeat1'],
  ['33c_patch_unsanitized_desc_repeat1', '33d_patch_unsanitized_desc_repeat2'],
  ['33d_patch_unsanitized_desc_repeat2', '33e_patch_null_repeat1'],
  ['33e_patch_null_repeat1', '33f_patch_null_repeat2'],
];

describe('fake ABS reproduces the recorded PATCH /media semantics', () => {
  it.each(PATCH_CHAIN)('%s → %s', async (before, patch) => {
    const start = itemOf(before);
    fake = await startFakeAbs({ items: [start] });
    const res = await send(fake, request(patch));
    const recorded = load(`${patch}.json`);
    expect(res.status).toBe(200);
    // `updated` is ABSENT on a no-op, exactly as recorded.
    expect('updated' in res.json).toBe('updated' in recorded);
    expect(withoutIds(res.json.libraryItem)).toEqual(withoutIds(recorded.libraryItem));
    expect(fake.changeCount).toBe(recorded.updated ? 1 : 0);
  });

  it('re-adding authors after string authors wiped them creates a NEW author id (31b → 31c)', async () => {
    const before = itemOf('31_patch_gotcha_tags_in_metadata_numeric_sequence');
    fake = await startFakeAbs({ items: [before] });
    const oldId = (before.media as { metadata: Meta }).metadata.authors[0]?.id;
    await send(fake, request('31b_patch_gotcha_authors_as_strings'));
    const res = await send(fake, request('31c_patch_restore_authors_objects'));
    const author = res.json.libraryItem.media.metadata.authors[0];
    expect(author.name).toBe('Becky Chambers');
    expect(author.id).not.toBe(oldId);
  });
});

describe('fake ABS chapters, batch and errors match the recordings', () => {
  it('POST chapters: updated, then identical → updated:false, then a string start → 400 text', async () => {
    fake = await startFakeAbs({ items: [itemOf('20c_item_get_expanded_wok')] });
    const first = await send(fake, request('32_post_chapters_wok'));
    expect(first.json).toEqual(load('32_post_chapters_wok.json'));
    const same = await send(fake, request('32b_post_chapters_wok_same'));
    expect(same.json).toEqual(load('32b_post_chapters_wok_same.json'));
    const bad = await send(fake, request('32c_post_chapters_invalid'));
    expect([bad.status, bad.text]).toEqual([400, 'Bad Request']);
  });

  it('batch update counts changed items; repeat → 0; not an array → 400; unknown id → 404', async () => {
    fake = await startFakeAbs();
    expect((await send(fake, request('60_batch_update'))).json).toEqual(load('60_batch_update.json'));
    expect((await send(fake, request('60b_batch_update_noop'))).json).toEqual(
      load('60b_batch_update_noop.json'),
    );
    expect((await send(fake, request('60c_batch_update_invalid_not_array'))).status).toBe(400);
    expect((await send(fake, request('60d_batch_update_unknown_id'))).status).toBe(404);
  });

  it('answers unknown items and missing credentials with ABS plain-text bodies', async () => {
    fake = await startFakeAbs();
    const missing = await send(fake, request('20g_item_get_notfound'));
    expect([missing.status, missing.text]).toEqual([404, load('20g_item_get_notfound.json')._nonJsonBody]);
    const anon = await fetch(`${fake.url}/api/libraries`);
    expect([anon.status, await anon.text()]).toEqual([401, load('04_api_unauthenticated.json')._nonJsonBody]);
  });
});

describe('fake ABS sidecar writes and the first-creation echo', () => {
  it('writes metadata.json in ABS format and echoes item_updated once, only for a NEW file', async () => {
    const root = mkdtempSync(join(tmpdir(), 'fake-abs-lib-'));
    fake = await startFakeAbs({
      items: [itemOf('30c_patch_media_phm_clean_identical_noop')],
      storeMetadataWithItem: true,
      libraryRoot: root,
      echoDelayMs: 100,
    });
    const token = (
      await (
        await fetch(`${fake.url}/login`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ username: fake.username, password: fake.password }),
        })
      ).json()
    ).user.accessToken;
    const socket = io(fake.origin, { path: '/socket.io', transports: ['websocket'] });
    const updates: number[] = [];
    socket.on('item_updated', () => updates.push(Date.now()));
    await new Promise((r) => {
      socket.on('init', r);
      socket.on('connect', () => socket.emit('auth', token));
    });
    const first = await send(fake, request('72_patch_media_phm_store_with_item'));
    expect(first.json.updated).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(updates).toHaveLength(2); // the PATCH's own event + the watcher's echo of the new file
    const written = readFileSync(join(root, 'Andy Weir/Project Hail Mary/metadata.json'), 'utf8');
    expect(written).toBe(readFileSync(new URL('sidecar_written_by_abs_phm_metadata.json', dir), 'utf8'));
    const second = await send(fake, {
      ...request('72_patch_media_phm_store_with_item'),
      body: { metadata: { publisher: 'Second' } },
    });
    expect(second.json.updated).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    socket.disconnect();
    expect(updates).toHaveLength(3); // in-place rewrite: no echo
  });
});
