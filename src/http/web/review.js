// Review (the item as ABS has it beside each candidate) and a dry run's diff. Uses core.js's helpers.

// ---- review: the item as ABS has it beside each candidate ---------------------------------

const COMPARE_ROWS = [
  ['title', 'Title'],
  ['authors', 'Authors'],
  ['narrators', 'Narrators'],
  ['series', 'Series'],
  ['durationSeconds', 'Length'],
  ['publishedYear', 'Year'],
  ['language', 'Language'],
  ['asin', 'ASIN'],
];

/** Candidate fields and ABS's current metadata use the same canonical shape; authors may be strings. */
function compareValue(field, value) {
  if (value == null || (Array.isArray(value) && value.length === 0)) return '—';
  if (field === 'authors') return value.map((a) => (typeof a === 'string' ? a : a.name)).join(', ');
  return fmtValue(field, value);
}

/** What ABS holds now: its current metadata, else what the bridge asked the providers with. */
function absSide(result) {
  const ctx = result?.context ?? {};
  return { ...ctx, ...(ctx.current ?? {}), authors: ctx.current?.authors ?? ctx.authors };
}

const near = (n, hi, mid) => (n >= hi ? 'matches' : n >= mid ? 'is close' : 'differs');
const percent = (n) => `${Math.round(n * 100)}%`;

/** The matcher's per-signal explanation in words a person reads ("length 12 min off"). */
function explain(e = {}) {
  const out = [];
  for (const id of ['asin', 'isbn'])
    if (e[id] === 'equal') out.push(`same ${id.toUpperCase()}`);
    else if (e[id] === 'differs') out.push(`${id.toUpperCase()} differs`);
  if (typeof e.title === 'number') out.push(`title ${near(e.title, 0.95, 0.8)} (${percent(e.title)})`);
  else if (e.title === 'missing') out.push('no title to compare');
  if (e.title_differs) out.push(`title has other words: ${e.title_differs}`);
  if (typeof e.author === 'number') out.push(`author ${near(e.author, 0.95, 0.8)} (${percent(e.author)})`);
  else if (e.author === 'unknown') out.push('author not known on one side');
  if (typeof e.duration_minutes_off === 'number')
    out.push(
      e.duration_minutes_off < 1 ? 'same length' : `length ${Math.round(e.duration_minutes_off)} min off`,
    );
  else if (e.duration === 'unknown') out.push('length not known on one side');
  if (e.duration_gate) out.push('length not weighed: title and author do not agree enough');
  if (typeof e.narrator === 'number') out.push(`narrator ${near(e.narrator, 0.9, 0.7)}`);
  if (typeof e.series === 'string') out.push(e.series);
  if (typeof e.year === 'string') out.push(e.year === 'same' ? 'same year' : `year ${e.year}`);
  if (typeof e.language === 'string') out.push(`language ${e.language}`);
  if (e.penalty_identifier) out.push('an identifier contradicts it');
  if (typeof e.edition === 'string') out.push('edition not confirmed by length, narrator or year');
  if (typeof e.capped_by === 'string') out.push(`score capped (${e.capped_by})`);
  return out;
}

function compareCard(heading, values, others, extra) {
  const rows = COMPARE_ROWS.map(([field, label]) => {
    const text = compareValue(field, values[field]);
    const differs = others && text !== '—' && text !== compareValue(field, others[field]);
    return el(
      'div',
      { class: differs ? 'row differs' : 'row', 'data-field': field },
      el('dt', {}, label),
      el('dd', {}, text),
    );
  });
  return el('article', { class: 'candidate' }, el('h4', {}, ...heading), el('dl', {}, ...rows), ...extra);
}

function renderCandidates(item) {
  const candidates = item.result?.candidates ?? [];
  const inReview = item.decision === 'review';
  const abs = absSide(item.result);
  $('compare-h').hidden = candidates.length === 0;
  $('compare').replaceChildren(
    ...(candidates.length ? [compareCard(['In ABS now'], abs, null, [])] : []),
    ...candidates.map((c, index) =>
      compareCard(
        [
          c.fields?.cover ? coverImg(item.itemId, index, 'cover card') : '',
          `${index + 1}. ${c.provider} `,
          el('span', { class: 'score' }, pct(c.score)),
        ],
        { ...(c.fields ?? {}), title: c.fields?.title ?? c.title, authors: c.fields?.authors ?? c.authors },
        abs,
        [
          el('ul', { class: 'why' }, ...explain(c.explanation).map((t) => el('li', {}, t))),
          inReview
            ? el(
                'button',
                {
                  type: 'button',
                  'data-candidate': String(index),
                  onclick: () => act(() => approve(item.itemId, index), `Applied candidate ${index + 1}`),
                },
                'Use this one',
              )
            : null,
        ],
      ),
    ),
  );
}

// ---- dry run: what would change -------------------------------------------------------------

function renderDiff(outcome) {
  const changes = outcome?.changes ?? [];
  const kept = outcome?.kept ?? [];
  $('diff-card').hidden = !outcome;
  if (!outcome) return;
  $('diff-summary').textContent =
    `Dry run: the bridge would ${outcome.decision === 'apply' ? 'apply' : outcome.decision} — ${changes.length} field${changes.length === 1 ? '' : 's'} would change${kept.length ? `, ${kept.length} kept` : ''}. Nothing was written.`;
  $('diff')
    .querySelector('tbody')
    .replaceChildren(
      ...changes.map((c) =>
        el(
          'tr',
          { 'data-field': c.field },
          el('th', { scope: 'row' }, fieldLabel(c.field)),
          el('td', { class: 'old' }, compareValue(c.field, c.old)),
          el('td', { class: 'new' }, compareValue(c.field, c.new)),
          el(
            'td',
            { class: 'source' },
            c.provider ? `${c.provider}${c.confidence ? ` (${pct(c.confidence)})` : ''}` : '—',
          ),
        ),
      ),
      ...kept.map((k) =>
        el(
          'tr',
          { 'data-field': k.field, class: 'kept' },
          el('th', { scope: 'row' }, fieldLabel(k.field)),
          el('td', { colspan: '3' }, `kept as it is: ${k.reason}`),
        ),
      ),
    );
}
