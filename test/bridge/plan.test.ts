import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AbsLibraryItemSchema } from '../../src/abs/schemas.js';
import { absValuesOf } from '../../src/abs/stored-form.js';
import { planChanges } from '../../src/bridge/pipeline/plan.js';

const fixture = (name: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/bridge/${name}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
const phm = AbsLibraryItemSchema.parse(fixture('20b_item_get_expanded_phm.json'));
const policy = { fieldPolicy: {}, defaultPolicy: 'fill-empty' as const };

describe('planChanges: field policy and people’s edits', () => {
  const current = absValuesOf(phm.media);

  it('fills empty fields only under fill-empty, and reports what it kept', () => {
    const plan = planChanges({
      current,
      desired: {
        title: 'Project Hail Mary (Unabridged)',
        publishedDate: '2021-05-04',
        series: [{ name: 'Standalone', sequence: null }],
      },
      policy,
    });
    expect(plan.changes.map((c) => c.field)).toEqual(['series', 'publishedDate']);
    expect(plan.kept).toEqual([{ field: 'title', reason: 'fill-empty' }]);
    expect(plan.previous).toEqual({ series: [], publishedDate: null });
  });

  it('never reports a change for a value ABS already holds in another spelling', () => {
    const plan = planChanges({
      current,
      desired: { title: ' Project Hail Mary ', authors: [{ name: 'ANDY WEIR' }], publishedYear: '2021' },
      policy: { fieldPolicy: {}, defaultPolicy: 'overwrite' },
    });
    expect(plan.changes).toEqual([]);
  });

  it('overwrites its own earlier value but keeps a value a person changed since', () => {
    const edited = { ...current, publisher: 'My Own Publisher', subtitle: 'A Novel' };
    const plan = planChanges({
      current: edited,
      desired: { publisher: 'Audible Studios', subtitle: 'A Novel (new)' },
      pushed: { publisher: 'Audible Studios', subtitle: 'A Novel' },
      policy,
    });
    expect(plan.kept).toEqual([{ field: 'publisher', reason: 'person-edited' }]);
    expect(plan.changes.map((c) => [c.field, c.new])).toEqual([['subtitle', 'A Novel (new)']]);
  });

  it('never touches a locked field, even under overwrite', () => {
    const plan = planChanges({
      current,
      desired: { title: 'Other' },
      policy: { fieldPolicy: { title: 'locked' }, defaultPolicy: 'overwrite' },
    });
    expect(plan.changes).toEqual([]);
    expect(plan.kept).toEqual([{ field: 'title', reason: 'locked' }]);
  });

  it('records the winning provider and confidence for each change', () => {
    const plan = planChanges({
      current,
      desired: { publishedDate: '2021-05-04' },
      result: {
        sources: { publishedDate: 'audible' },
        provenance: {
          publishedDate: [{ provider: 'audible', confidence: 0.9512, value: '2021-05-04', cached: false }],
        },
      },
      policy,
    });
    expect(plan.changes).toEqual([
      { field: 'publishedDate', old: null, new: '2021-05-04', provider: 'audible', confidence: 0.951 },
    ]);
  });
});
