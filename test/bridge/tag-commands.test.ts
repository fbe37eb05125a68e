import { describe, expect, it } from 'vitest';
import {
  actionTags,
  askedByPerson,
  commandsIn,
  policyFor,
  withoutActionTags,
} from '../../src/bridge/triggers/tag-commands.js';
import { parseConfig } from '../../src/config/load.js';

const { bridge } = parseConfig({});

describe('tag commands', () => {
  it('finds the commands among a book’s tags and removes every action tag', () => {
    const tags = ['Favourite', 'bridge:review', 'bridge:rematch', 'bridge:skip'];
    expect([...commandsIn(tags, bridge)].sort()).toEqual(['review', 'skip']);
    expect(withoutActionTags(tags, bridge)).toEqual(['Favourite']);
    expect(actionTags(bridge)).toEqual(['bridge:rematch', 'bridge:review', 'bridge:lock', 'bridge:skip']);
  });

  it('configured tag names replace the defaults', () => {
    const custom = parseConfig({ bridge: { tagCommands: { skip: 'no-bridge' } } }).bridge;
    expect([...commandsIn(['no-bridge', 'bridge:skip'], custom)]).toEqual(['skip']);
  });

  it('locked fields become locked in the field policy; other fields keep theirs', () => {
    const record = { itemId: 'x', updatedAt: '', history: [], lockedFields: ['publisher', 'title'] };
    const policy = policyFor({ ...bridge, fieldPolicy: { description: 'overwrite' } }, record);
    expect(policy.fieldPolicy).toEqual({ description: 'overwrite', publisher: 'locked', title: 'locked' });
    expect(policyFor(bridge, null)).toBe(bridge);
  });

  it('a person asks by hand or with the re-match tag; a catch-up does not', () => {
    expect(askedByPerson({ itemId: 'x', reason: 'manual' }, [], bridge)).toBe(true);
    expect(askedByPerson({ itemId: 'x', reason: 'trigger-tag' }, ['bridge:rematch'], bridge)).toBe(true);
    expect(askedByPerson({ itemId: 'x', reason: 'catch-up' }, [], bridge)).toBe(false);
  });
});
