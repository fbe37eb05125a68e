// One item: its fields with provenance, conflicts and provider failures. Uses core.js's helpers.

// ---- item view ------------------------------------------------------------------------------

async function showItem(id) {
  currentItemId = id;
  const item = await api('GET', `/api/items/${encodeURIComponent(id)}`);
  $('item').hidden = false;
  $('item-h').textContent = item.title ?? item.itemId;
  $('item-cover').replaceChildren(
    item.result?.metadata?.cover ? coverImg(item.itemId, undefined, 'cover large') : '',
  );
  // Undo restores what the bridge overwrote; a book it never wrote to has nothing to undo.
  $('undo').hidden = Object.keys(item.previous ?? {}).length === 0;
  $('item-summary').replaceChildren(
    decisionBadge(item.decision),
    ` ${pct(item.confidence)} — ${item.reason ?? 'not matched yet'} · `,
    el('code', {}, item.itemId),
    absUrl
      ? el(
          'a',
          {
            class: 'open-abs',
            href: `${absUrl.replace(/\/$/, '')}/item/${encodeURIComponent(item.itemId)}`,
            target: '_blank',
            rel: 'noopener noreferrer',
          },
          'Open in ABS ↗',
        )
      : null,
  );
  $('keys').hidden = item.decision !== 'review';
  renderFields(item.result);
  renderCandidates(item);
  // A book the bridge could not place opens with the search; otherwise it stays folded.
  if (item.itemId !== searchFormItem) {
    searchFormItem = item.itemId;
    $('search-form').reset();
    $('search-again').open = item.decision === 'reject' || !item.result;
  }
  renderDiff(lastDryRun?.itemId === item.itemId ? lastDryRun.outcome : null);
  $('providers').replaceChildren(
    ...(item.result?.providers ?? []).map((p) =>
      el(
        'li',
        {},
        `${p.provider}: ${p.status}${p.cached ? ' (cached)' : ''}, ${p.durationMs} ms${p.reason ? ` — ${p.reason}` : ''}${p.error ? ` — ${failureWords(p.error)}` : ''}`,
      ),
    ),
  );
  $('history').replaceChildren(
    ...[...(item.history ?? [])].reverse().map((h) => {
      const head = `${when(h.at)} — ${h.action}${h.changedFields?.length && !h.changes?.length ? `: ${h.changedFields.join(', ')}` : ''}${h.note ? ` (${h.note})` : ''}`;
      // The per-field diff the bridge wrote (old → new, provider), when the entry carries it.
      // A description is shown once, in the fields table: here only whether it was added or replaced.
      const change = (c) =>
        c.field === 'description'
          ? `description: ${c.old == null ? 'added' : 'replaced'}`
          : `${c.field}: ${fmtValue(c.field, c.old)} → ${fmtValue(c.field, c.new)}`;
      const diff = (h.changes ?? []).map((c) =>
        el('li', { class: 'history-change' }, `${change(c)}${c.provider ? ` [${c.provider}]` : ''}`),
      );
      return el('li', {}, head, ...(diff.length ? [el('ul', {}, ...diff)] : []));
    }),
  );
}

const NETWORK_CAUSES = {
  ENOTFOUND: 'DNS: host name not found',
  EAI_AGAIN: 'DNS lookup failed',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
};

/** A provider failure in words: the network cause, a timeout, a 429, an open breaker. */
function failureWords(error) {
  const errno = /\(([A-Z_]{4,})\)/.exec(error.message)?.[1];
  if (errno && NETWORK_CAUSES[errno]) return `${NETWORK_CAUSES[errno]} (${errno})`;
  if (error.code === 'CIRCUIT_OPEN') return 'not asked: it failed too often in a row (circuit breaker open)';
  if (error.code === 'TIMEOUT') return `timeout: ${error.message.replace(/^\w+: /, '')}`;
  if (error.code === 'RATE_LIMITED') return 'rate limited (HTTP 429)';
  return error.message;
}

function renderFields(result) {
  const body = $('fields').querySelector('tbody');
  if (!result) {
    body.replaceChildren(
      el('tr', {}, el('td', { colspan: '4' }, 'No aggregation recorded for this item yet.')),
    );
    return;
  }
  const conflicts = new Set(result.conflicts.map((c) => c.field));
  const fields = Object.keys(result.provenance);
  body.replaceChildren(...fields.map((field) => fieldRow(field, result, conflicts.has(field))));
}

const FIELD_LABELS = {
  title: 'Title',
  subtitle: 'Subtitle',
  authors: 'Authors',
  narrators: 'Narrators',
  series: 'Series',
  publisher: 'Publisher',
  publishedYear: 'Year',
  publishedDate: 'Date',
  description: 'Description',
  language: 'Language',
  genres: 'Genres',
  tags: 'Tags',
  isbn: 'ISBN',
  asin: 'ASIN',
  durationSeconds: 'Length',
  cover: 'Cover',
  chapters: 'Chapters',
  explicit: 'Explicit',
  abridged: 'Abridged',
};
const fieldLabel = (field) =>
  FIELD_LABELS[field] ?? (field.startsWith('customFields.') ? field.slice(13) : field);

const ALT_MAX = 160;
/** Another provider's value: "same" when it equals the chosen one, long text shortened. */
function altText(field, value, chosen) {
  if (JSON.stringify(value) === JSON.stringify(chosen)) return 'same';
  const text = fmtValue(field, value);
  return text.length > ALT_MAX ? `${text.slice(0, ALT_MAX - 1)}…` : text;
}

function fieldRow(field, result, isConflict) {
  const [winner, ...others] = result.provenance[field] ?? [];
  const value = field.startsWith('customFields.')
    ? result.metadata.customFields[field.slice(13)]
    : result.metadata[field];
  const valueCell = el('td', {});
  if (field === 'cover' && value?.url) valueCell.append(coverImg(currentItemId));
  valueCell.append(fmtValue(field, value));
  return el(
    'tr',
    { class: isConflict ? 'conflict' : '', 'data-field': field },
    el(
      'th',
      { scope: 'row' },
      fieldLabel(field),
      isConflict ? el('span', { class: 'badge conflict' }, 'conflict') : null,
    ),
    valueCell,
    el(
      'td',
      { class: 'source' },
      winner ? `${result.sources[field] ?? winner.provider} (${pct(winner.confidence)})` : '—',
    ),
    el(
      'td',
      {},
      ...others.map((p) =>
        el(
          'span',
          { class: 'alt' },
          `${p.provider} (${pct(p.confidence)}): ${altText(field, p.value, winner?.value)}`,
        ),
      ),
    ),
  );
}
