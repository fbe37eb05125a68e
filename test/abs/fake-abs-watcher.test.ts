import { mkdirSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeAbs, startFakeAbs } from '../../mocks/fake-abs/index.js';
import { createAbsClient } from '../../src/abs/client.js';
import { AbsSocketListener } from '../../src/abs/socket.js';
import { TokenManager } from '../../src/abs/tokens.js';

/** The fake's folder watcher behaves like ABS's: added/removed files echo, in-place and rename-over do not. */
let fake: FakeAbs | undefined;
let listener: AbsSocketListener | undefined;
afterEach(async () => {
  listener?.stop();
  await fake?.stop();
  fake = listener = undefined;
});

const ECHO = 150;
const settle = () => new Promise((r) => setTimeout(r, ECHO * 3));

async function setup() {
  const root = mkdtempSync(join(tmpdir(), 'fake-abs-watch-'));
  const folder = join(root, 'Andy Weir', 'Project Hail Mary');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'metadata.json'), '{}');
  fake = await startFakeAbs({ libraryRoot: root, echoDelayMs: ECHO });
  const client = createAbsClient({ url: fake.url, token: fake.apiKey });
  const tokens = new TokenManager({ client, username: fake.username, password: fake.password });
  listener = new AbsSocketListener({ url: fake.origin, tokens });
  const updates: string[] = [];
  listener.on('item_updated', (i) => updates.push(i.id));
  await new Promise<void>((resolve) => {
    listener?.on('ready', resolve);
    listener?.start();
  });
  return { folder, updates, client };
}

describe('fake ABS folder watcher', () => {
  it('a NEW file in an item folder (a bridge sidecar) gives exactly one item_updated', async () => {
    const { folder, updates } = await setup();
    writeFileSync(join(folder, 'metadata.opf'), '<package/>');
    writeFileSync(join(folder, 'cover.jpg'), 'x');
    await settle();
    expect(updates).toEqual(['e2e7ad2d-d8d3-4c11-bdca-25f8abd1e5e1']);
  });

  it('in-place writes and temp-file rename-over of an existing file give nothing', async () => {
    const { folder, updates } = await setup();
    writeFileSync(join(folder, 'metadata.json'), '{"title":"x"}');
    writeFileSync(join(folder, 'metadata.json.tmp'), '{"title":"y"}');
    renameSync(join(folder, 'metadata.json.tmp'), join(folder, 'metadata.json'));
    await settle();
    expect(updates).toEqual([]);
  });

  it('an item scan applies the item-folder metadata.json (absMetadata wins; nulls never blank)', async () => {
    const { folder, client } = await setup();
    const id = 'e2e7ad2d-d8d3-4c11-bdca-25f8abd1e5e1';
    const sidecar = {
      title: 'Project Hail Mary',
      publisher: 'Sidecar Publisher',
      subtitle: null,
      authors: [],
      series: ['Hail Mary #2'],
    };
    writeFileSync(join(folder, 'metadata.json'), JSON.stringify(sidecar));
    expect(await client.scanItem(id)).toBe('UPDATED');
    const item = await client.getItem(id);
    expect(item?.media.metadata.publisher).toBe('Sidecar Publisher');
    expect(item?.media.metadata.subtitle).toBe('A Novel');
    expect(item?.media.metadata.authors?.map((a) => a.name)).toEqual(['Andy Weir']);
    expect(item?.media.metadata.series).toMatchObject([{ name: 'Hail Mary', sequence: '2' }]);
    expect(await client.scanItem(id)).toBe('UPTODATE');
  });
});
