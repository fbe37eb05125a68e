// The page's library hygiene: completeness of a library's books and the genre rules (edit,
// preview, turn on). Loaded after app.js and uses its helpers ($, el, api, say, handleError).
// Every value from the API is inserted with textContent.

/** "a, b ,c" → ["a", "b", "c"]. */
const terms = (text) =>
  text
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);

// ---- completeness ---------------------------------------------------------------------------

function completenessUrl() {
  const params = new URLSearchParams({ library: $('c-library').value, limit: '100' });
  const filter = $('c-filter').value;
  if (filter === 'incomplete') params.set('incomplete', 'true');
  else if (filter.startsWith('missing:')) params.set('missing', filter.slice('missing:'.length));
  return `/api/completeness?${params}`;
}

function renderCompleteness(page) {
  const s = page.summary;
  const incomplete = s.books - s.complete;
  $('c-summary').textContent =
    `${s.books} books · ${s.complete} complete · ${incomplete} incomplete · average score ${s.averageScore}%`;
  const most = Object.entries(s.missing)
    .slice(0, 5)
    .map(([field, n]) => `${field} ${n}`)
    .join(' · ');
  $('c-most').textContent = most ? `Missing most: ${most}` : 'Nothing is missing.';
  $('c-books')
    .querySelector('tbody')
    .replaceChildren(
      ...page.books.map((b) =>
        el(
          'tr',
          { 'data-item': b.itemId },
          el('td', {}, b.title ?? b.itemId),
          el('td', { class: 'score' }, `${b.score}%`),
          el(
            'td',
            {},
            [
              b.missing.length ? `missing ${b.missing.join(', ')}` : '',
              b.weak.length ? `weak: ${b.weak.join(', ')}` : '',
            ]
              .filter(Boolean)
              .join('; ') || 'complete',
          ),
        ),
      ),
    );
  $('c-more').textContent =
    page.total > page.books.length
      ? `Showing ${page.books.length} of ${page.total} (lowest scores first).`
      : '';
  $('completeness-card').dataset.shown = String(page.total);
}

async function refreshCompleteness() {
  if (!$('c-library').value) return;
  renderCompleteness(await api('GET', completenessUrl()));
}

// ---- genre rules ----------------------------------------------------------------------------

function mapRow(from = '', to = []) {
  const row = el(
    'div',
    { class: 'map-row' },
    el('input', { type: 'text', 'aria-label': 'Map from term', placeholder: 'Sci-Fi & Fantasy' }),
    el('span', { 'aria-hidden': 'true' }, '→'),
    el('input', {
      type: 'text',
      'aria-label': 'Map to terms',
      placeholder: 'Science Fiction, Fantasy',
    }),
    el(
      'button',
      { type: 'button', class: 'secondary', 'aria-label': 'Remove mapping', onclick: () => row.remove() },
      '×',
    ),
  );
  const [fromInput, , toInput] = row.children;
  fromInput.value = from;
  toInput.value = to.join(', ');
  return row;
}

/** The editor's rules, as the API takes them (the page's part; config.json's stay as they are). */
function editedRules() {
  const map = {};
  for (const row of $('rules-map').children) {
    const [fromInput, , toInput] = row.children;
    const from = fromInput.value.trim();
    if (from) map[from] = terms(toInput.value);
  }
  const rules = { map, block: terms($('rules-block').value) };
  const max = $('rules-max').value.trim();
  if (max) rules.max = Number(max);
  return rules;
}

function renderRules(active) {
  $('rules-state').textContent = active.enabled.value ? 'on' : 'off';
  $('rules-card').dataset.enabled = String(active.enabled.value);
  const from = (source) => el('span', { class: `badge src-${source}` }, source);
  $('rules-active').replaceChildren(
    ...active.map.map((m) => el('li', {}, `${m.from} → ${m.to.join(', ') || '(nothing)'} `, from(m.source))),
    ...active.block.map((b) => el('li', {}, `blocked: ${b.term} `, from(b.source))),
    ...active.toTags.map((t) => el('li', {}, `made a tag: ${t.term} `, from(t.source))),
    el('li', {}, `at most ${active.max.value} genres `, from(active.max.source)),
  );
  const own = active.settings;
  $('rules-map').replaceChildren(...Object.entries(own.map ?? {}).map(([f, t]) => mapRow(f, t)));
  if (!$('rules-map').children.length) $('rules-map').append(mapRow());
  $('rules-block').value = (own.block ?? []).join(', ');
  $('rules-max').value = own.max ?? '';
}

function renderPreview(preview) {
  $('rules-summary').textContent =
    `${preview.changed} of ${preview.books} books would change (nothing is written by a preview)`;
  const table = $('rules-changes');
  table.hidden = preview.rows.length === 0;
  const list = (values) => values.join(', ') || '—';
  table
    .querySelector('tbody')
    .replaceChildren(
      ...preview.rows.map((r) =>
        el(
          'tr',
          { 'data-item': r.itemId },
          el('td', {}, r.title ?? r.itemId),
          el('td', { class: 'old' }, list(r.genres.before)),
          el('td', { class: 'new' }, list(r.genres.after)),
          el(
            'td',
            {},
            list(r.tags.before) === list(r.tags.after)
              ? list(r.tags.after)
              : `${list(r.tags.before)} → ${list(r.tags.after)}`,
          ),
        ),
      ),
    );
}

async function refreshRules() {
  renderRules(await api('GET', '/api/genre-rules'));
}

/** Runs a rules action with both buttons held; errors (a 400 naming the bad rule) are shown. */
async function rulesAction(run) {
  const buttons = [$('rules-preview'), $('rules-on')];
  for (const b of buttons) b.disabled = true;
  try {
    await run();
  } catch (error) {
    handleError(error);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

// app.js's start() calls it (classic scripts share one global scope).
async function startTidy() {
  const { libraries } = await api('GET', '/api/libraries');
  const select = $('c-library');
  const chosen = select.value;
  select.replaceChildren(...libraries.map((l) => el('option', { value: l.id }, l.name)));
  if (libraries.some((l) => l.id === chosen)) select.value = chosen;
  await Promise.all([refreshCompleteness(), refreshRules()]);
}

document.addEventListener('DOMContentLoaded', () => {
  for (const id of ['c-library', 'c-filter'])
    $(id).addEventListener('change', () => refreshCompleteness().catch(handleError));
  $('completeness-form').addEventListener('submit', (event) => event.preventDefault());
  $('rules-form').addEventListener('submit', (event) => event.preventDefault());
  $('rules-add').addEventListener('click', () => {
    const row = mapRow();
    $('rules-map').append(row);
    row.querySelector('input').focus();
  });
  $('rules-preview').addEventListener('click', () =>
    rulesAction(async () => {
      say('');
      renderPreview(
        await api('POST', '/api/genre-rules/preview', {
          libraryId: $('c-library').value,
          rules: editedRules(),
        }),
      );
    }),
  );
  $('rules-on').addEventListener('click', () =>
    rulesAction(async () => {
      renderRules(await api('POST', '/api/genre-rules', { rules: editedRules() }));
      say('Genre rules turned on: they apply from the next book matched.');
    }),
  );
});
