// ABS Metadata Bridge web page: plain DOM, no framework. Every value from the API is inserted
// with textContent (never innerHTML), so provider data cannot inject markup.

const TOKEN_KEY = 'absBridgeToken';
// The token is kept in localStorage so a new tab or a restart of the browser does not ask again;
// a token from an older page version (sessionStorage) is moved over.
const tokenStore = {
  get: () => localStorage.getItem(TOKEN_KEY) ?? sessionStorage.getItem(TOKEN_KEY),
  set: (value) => {
    localStorage.setItem(TOKEN_KEY, value);
    sessionStorage.removeItem(TOKEN_KEY);
  },
  clear: () => {
    localStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(TOKEN_KEY);
  },
};
const $ = (id) => document.getElementById(id);
let currentItemId = null;
/** The last dry run's outcome, shown while its item stays open. */
let lastDryRun = null;
/** The item the search form was last prepared for (a refresh keeps what was typed). */
let searchFormItem = null;

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key === 'class') node.className = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  for (const child of children) if (child != null) node.append(child);
  return node;
}

function say(text, isError = false) {
  const box = $('message');
  box.textContent = text;
  box.classList.toggle('error', isError);
}

class Unauthorized extends Error {}

async function api(method, path, body) {
  const headers = { authorization: `Bearer ${tokenStore.get() ?? ''}` };
  if (method !== 'GET') headers['content-type'] = 'application/json';
  const res = await fetch(path, {
    method,
    headers,
    body: method === 'GET' ? undefined : JSON.stringify(body ?? {}),
  });
  if (res.status === 401) throw new Unauthorized('token refused');
  const data = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(data.message ?? `${res.status} ${res.statusText}`);
  return data;
}

// ---- formatting -----------------------------------------------------------------------------

function fmtValue(field, value) {
  if (value == null) return '—';
  if (field === 'authors') return value.map((a) => a.name).join(', ');
  if (field === 'series')
    return value.map((s) => (s.sequence ? `${s.name} #${s.sequence}` : s.name)).join('; ');
  if (field === 'chapters') return `${value.length} chapters`;
  if (field === 'cover') return value.url;
  if (field === 'durationSeconds')
    return `${Math.floor(value / 3600)} h ${Math.round((value % 3600) / 60)} min`;
  if (field === 'description')
    return new DOMParser().parseFromString(value, 'text/html').body.textContent ?? '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const pct = (n) => (typeof n === 'number' ? `${Math.round(n * 100)}%` : '—');
const when = (iso) =>
  iso ? new Date(iso).toLocaleString([], { dateStyle: 'short', timeStyle: 'short' }) : '';
const decisionBadge = (d) => el('span', { class: `badge d-${d ?? 'none'}` }, d ?? 'pending');

// ---- covers: served by the bridge (cached on disk there), fetched with the token ------------

const coverUrls = new Map();

/** An <img> for the item's cover (or candidate n's); it stays empty when there is none. */
function coverImg(itemId, candidate, className = 'cover') {
  const img = el('img', { class: className, alt: '', hidden: '' });
  const path = `/api/covers/${encodeURIComponent(itemId)}${candidate === undefined ? '' : `?candidate=${candidate}`}`;
  const known = coverUrls.get(path);
  const load =
    known ??
    fetch(path, { headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` } })
      .then((res) => (res.ok ? res.blob() : null))
      .then((blob) => (blob ? URL.createObjectURL(blob) : null))
      .catch(() => null);
  coverUrls.set(path, load);
  load.then((url) => {
    if (!url) return;
    img.src = url;
    img.hidden = false;
  });
  return img;
}

// ---- status, lists --------------------------------------------------------------------------

function pill(text, ok) {
  return el('span', { class: `pill ${ok ? 'ok' : 'bad'}` }, text);
}

// The queues' sizes come from the lists themselves (the store), so they agree with what is shown
// even after the CLI approved or rejected something; the per-decision counters are this process's
// since it started, and are labelled so.
/** The last status, for links into ABS. */
let absUrl = null;
/** Ids in the review queue, in order, for the keyboard's next/previous. */
let reviewIds = [];

function renderStatus(s, review, waiting) {
  absUrl = s.absUrl ?? null;
  reviewIds = review.map((r) => r.itemId);
  const socketOk = s.socket === 'connected' || s.socket === 'polling';
  $('status').replaceChildren(
    pill(`ABS ${s.absReachable ? 'reachable' : 'unreachable'}`, s.absReachable),
    pill(`socket ${s.socket}`, socketOk),
    el('span', { class: 'pill' }, `queue ${s.queueDepth} · running ${s.running}`),
    el('span', { class: 'pill' }, `review ${review.length} · waiting ${waiting.length}`),
    el(
      'span',
      { class: 'pill', title: 'counted by the running bridge since it started' },
      `since start: applied ${s.counts.apply} · rejected ${s.counts.reject} · failed ${s.counts.failed}`,
    ),
  );
}

/** The library view's filters and page; the server filters and pages (GET /api/items). */
const listQuery = { q: '', decision: '', library: '', provider: '', changed: false, offset: 0, limit: 50 };

function itemsUrl() {
  const params = new URLSearchParams({ limit: String(listQuery.limit), offset: String(listQuery.offset) });
  for (const key of ['q', 'decision', 'library', 'provider'])
    if (listQuery[key]) params.set(key, listQuery[key]);
  if (listQuery.changed) params.set('changed', 'run');
  return `/api/items?${params}`;
}

function fillSelect(select, values, label) {
  const current = select.value;
  select.replaceChildren(
    el('option', { value: '' }, label),
    ...values.map((v) => el('option', { value: v }, v)),
  );
  select.value = values.includes(current) ? current : '';
}

function renderPager(page) {
  const { total, offset, items } = page;
  $('library-count').textContent = `(${total})`;
  $('page-info').textContent =
    total === 0 ? 'no items' : `${offset + 1}–${offset + items.length} of ${total}`;
  $('prev').disabled = offset === 0;
  $('next').disabled = offset + items.length >= total;
  fillSelect($('f-library'), page.facets?.libraries ?? [], 'Any library');
  fillSelect($('f-provider'), page.facets?.providers ?? [], 'Any provider');
}

async function refreshLists() {
  const [status, { items: review }, { items: waiting }, page] = await Promise.all([
    api('GET', '/api/status'),
    api('GET', '/api/review'),
    api('GET', '/api/waiting'),
    api('GET', itemsUrl()),
  ]);
  const recent = page.items;
  renderPager(page);
  renderStatus(status, review, waiting);
  $('review-count').textContent = `(${review.length})`;
  $('review').replaceChildren(
    ...(review.length
      ? [
          ...review.slice(0, QUEUE_SHOWN).map(reviewRow),
          moreRow(review.length, 'review', 'in review'),
        ].filter(Boolean)
      : [el('li', { class: 'meta' }, 'Nothing waits for review.')]),
  );
  $('waiting-card').hidden = waiting.length === 0;
  $('waiting-count').textContent = `(${waiting.length})`;
  $('waiting').replaceChildren(
    ...[...waiting.slice(0, QUEUE_SHOWN).map(waitingRow), moreRow(waiting.length, 'wait', 'waiting')].filter(
      Boolean,
    ),
  );
  $('recent').replaceChildren(...recent.map(recentRow));
}

/** The queues show their first few; the rest are one click away in the filtered library. */
const QUEUE_SHOWN = 8;

function moreRow(count, decision, label) {
  if (count <= QUEUE_SHOWN) return null;
  return el(
    'li',
    { class: 'more' },
    el(
      'button',
      {
        type: 'button',
        class: 'secondary',
        onclick: () => {
          $('filters').reset();
          $('f-decision').value = decision;
          $('f-decision').dispatchEvent(new Event('change'));
          $('recent-h').scrollIntoView();
        },
      },
      `Show all ${count} ${label} in the library`,
    ),
  );
}

function waitingRow(item) {
  return el(
    'li',
    { 'data-item': item.itemId },
    el('a', { href: `#item/${encodeURIComponent(item.itemId)}` }, item.title ?? item.itemId),
    el('div', { class: 'meta' }, item.reason ?? 'waiting for a provider to answer again'),
  );
}

function reviewRow(item) {
  const label = item.title ?? item.itemId;
  return el(
    'li',
    { 'data-item': item.itemId },
    el('a', { href: `#item/${encodeURIComponent(item.itemId)}` }, label),
    el('div', { class: 'meta' }, `${pct(item.confidence)} · ${item.reason ?? ''}`),
    el(
      'div',
      { class: 'actions' },
      el(
        'button',
        { type: 'button', onclick: () => act(() => approve(item.itemId), `Approved “${label}”`) },
        'Approve',
      ),
      el(
        'button',
        {
          type: 'button',
          class: 'danger',
          onclick: () => act(() => reject(item.itemId), `Rejected “${label}”`),
        },
        'Reject',
      ),
    ),
  );
}

function recentRow(item) {
  return el(
    'tr',
    { 'data-item': item.itemId },
    el('td', {}, el('a', { href: `#item/${encodeURIComponent(item.itemId)}` }, item.title ?? item.itemId)),
    el('td', {}, decisionBadge(item.decision)),
    el('td', {}, pct(item.confidence)),
    el('td', {}, when(item.updatedAt)),
  );
}

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

// ---- actions --------------------------------------------------------------------------------

const approve = (id, candidate) =>
  api('POST', `/api/review/${encodeURIComponent(id)}/approve`, candidate === undefined ? {} : { candidate });
const reject = (id) => api('POST', `/api/review/${encodeURIComponent(id)}/reject`, {});

async function act(run, done) {
  const buttons = [...document.querySelectorAll('button')];
  for (const b of buttons) b.disabled = true;
  try {
    const out = await run();
    const detail =
      out && typeof out.decision === 'string'
        ? ` — ${out.decision}${out.changes ? `, ${out.changes.length} change(s)` : ''}`
        : '';
    say(`${done}${detail}`);
    await refreshAll();
  } catch (error) {
    handleError(error);
  } finally {
    for (const b of buttons) b.disabled = false;
  }
}

function handleError(error) {
  if (error instanceof Unauthorized) {
    tokenStore.clear();
    showLogin('That token was refused. Enter the bridge token.');
  } else say(error.message, true);
}

async function refreshAll() {
  await refreshLists();
  if (currentItemId) await showItem(currentItemId);
}

function route() {
  const match = /^#item\/(.+)$/.exec(location.hash);
  if (match) showItem(decodeURIComponent(match[1])).catch(handleError);
  else {
    currentItemId = null;
    $('item').hidden = true;
  }
}

/** Runs an action on the open item; without one there is nothing to act on. */
function onItem(run, done) {
  const id = currentItemId;
  if (!id) return;
  act(() => run(encodeURIComponent(id)), done);
}

// ---- keyboard: j/k move through the review queue, a approves, r rejects ------------------

function onKey(event) {
  if (event.ctrlKey || event.metaKey || event.altKey || $('app').hidden) return;
  if (event.target.closest?.('input, select, textarea')) return;
  const at = reviewIds.indexOf(currentItemId);
  const go = (index) => {
    const id = reviewIds[index];
    if (id) location.hash = `#item/${encodeURIComponent(id)}`;
  };
  if (event.key === 'j') go(at + 1);
  else if (event.key === 'k') go(Math.max(0, at - 1));
  else if ((event.key === 'a' || event.key === 'r') && at >= 0) {
    const id = currentItemId;
    const next = reviewIds[at + 1];
    act(
      () => (event.key === 'a' ? approve(id) : reject(id)),
      event.key === 'a' ? 'Approved' : 'Rejected',
    ).then(() => {
      if (next) location.hash = `#item/${encodeURIComponent(next)}`;
    });
  } else return;
  event.preventDefault();
}

// ---- live updates: server-sent events read with fetch (so the token stays in a header) -------

const OUTCOME_WORDS = {
  'item.applied': 'applied',
  'item.review': 'went to review',
  'item.rejected': 'was not matched',
  'item.waiting': 'waits for a provider',
  'item.failed': 'failed',
};
let stream = null;
let refreshTimer;

/** Several events in a burst (a backfill) give one refresh. */
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => refreshAll().catch(handleError), 300);
}

let lastStatus = '';

// ---- backfill: start/stop a library backfill; progress comes as `backfill` events -----------

const DECISION_WORDS = {
  apply: 'applied',
  review: 'review',
  reject: 'not matched',
  wait: 'waiting',
  skipped: 'skipped',
};

function renderBackfill(b) {
  const running = Boolean(b?.running);
  $('b-start').disabled = running;
  $('b-stop').disabled = !running;
  $('backfill-card').dataset.state = !b ? 'none' : running ? 'running' : b.stopped ? 'stopped' : 'finished';
  if (!b) return;
  $('backfill-progress').hidden = false;
  $('b-bar').max = Math.max(b.total, 1);
  $('b-bar').value = b.done;
  const decisions = Object.entries(b.decisions)
    .map(([d, n]) => `${n} ${DECISION_WORDS[d] ?? d}`)
    .join(' · ');
  const state = running ? 'running' : b.error ? `failed: ${b.error}` : b.stopped ? 'stopped' : 'finished';
  const failed = b.failed ? ` · ${b.failed} failed` : '';
  $('b-text').textContent =
    `${b.done}/${b.total} — ${state}${b.dryRun ? ' (dry run)' : ''}${decisions ? ` — ${decisions}` : ''}${failed}`;
}

async function refreshBackfill() {
  const [{ libraries }, { backfill }] = await Promise.all([
    api('GET', '/api/libraries'),
    api('GET', '/api/backfill'),
  ]);
  const select = $('b-library');
  const chosen = select.value;
  select.replaceChildren(...libraries.map((l) => el('option', { value: l.id }, l.name)));
  if (libraries.some((l) => l.id === chosen)) select.value = chosen;
  renderBackfill(backfill);
}

function onEvent(name, data) {
  if (name === 'backfill') {
    renderBackfill(data);
    if (!data.running) refreshSoon();
    return;
  }
  if (name === 'status') {
    const text = JSON.stringify(data);
    if (lastStatus && text !== lastStatus) refreshSoon();
    lastStatus = text;
    return;
  }
  if (OUTCOME_WORDS[name]) $('live').textContent = `${data.title ?? data.itemId} ${OUTCOME_WORDS[name]}`;
  refreshSoon();
}

async function listen() {
  if (stream) return;
  stream = new AbortController();
  const { signal } = stream;
  try {
    const res = await fetch('/api/events', {
      headers: { authorization: `Bearer ${tokenStore.get() ?? ''}` },
      signal,
    });
    if (res.status === 401) throw new Unauthorized('token refused');
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    // Connected: anything that happened between the last load and now is fetched once.
    document.body.dataset.live = 'on';
    refreshSoon();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end = buffer.indexOf('\n\n');
      while (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const name = /^event: (.+)$/m.exec(block)?.[1];
        const data = /^data: (.+)$/m.exec(block)?.[1];
        if (name && data) onEvent(name, JSON.parse(data));
        end = buffer.indexOf('\n\n');
      }
    }
  } catch (error) {
    if (error instanceof Unauthorized) return handleError(error);
    if (signal.aborted) return;
  } finally {
    if (stream?.signal === signal) stream = null;
    delete document.body.dataset.live;
  }
  // The bridge restarted or the network dropped: reconnect, and catch up on what was missed.
  if (!signal.aborted && !$('app').hidden)
    setTimeout(() => {
      listen();
      refreshSoon();
    }, 3000);
}

function showLogin(text) {
  stream?.abort();
  stream = null;
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('login').hidden = false;
  say(text ?? '', Boolean(text));
  $('token').focus();
}

async function start() {
  $('login').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  try {
    await refreshAll();
    route();
    listen();
    await refreshBackfill();
    // Completeness and genre rules (tidy.js).
    await startTidy();
  } catch (error) {
    handleError(error);
  }
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault();
    tokenStore.set($('token').value.trim());
    $('token').value = '';
    say('');
    start();
  });
  $('rematch').addEventListener('click', () =>
    onItem((id) => api('POST', `/api/items/${id}/rematch`, { refresh: true }), 'Re-matched'),
  );
  $('rematch-dry').addEventListener('click', () =>
    onItem(async (id) => {
      const outcome = await api('POST', `/api/items/${id}/rematch`, { dryRun: true });
      lastDryRun = { itemId: currentItemId, outcome };
      return outcome;
    }, 'Dry run done'),
  );
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const hint = {};
    for (const [key, id] of [
      ['title', 's-title'],
      ['author', 's-author'],
      ['asin', 's-asin'],
    ]) {
      const value = $(id).value.trim();
      if (value) hint[key] = value;
    }
    if (Object.keys(hint).length === 0) return say('Give a title, an author or an ASIN.', true);
    onItem((id) => api('POST', `/api/items/${id}/rematch`, { hint }), 'Searched again');
  });
  $('backfill-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const body = { libraryId: $('b-library').value, mode: $('b-mode').value, dryRun: $('b-dry').checked };
    api('POST', '/api/backfill', body)
      .then(() => api('GET', '/api/backfill'))
      .then(({ backfill }) => {
        say('Backfill started');
        renderBackfill(backfill);
      })
      .catch(handleError);
  });
  $('b-stop').addEventListener('click', () =>
    api('POST', '/api/backfill/stop', {})
      .then(({ backfill }) => {
        say('Stopping the backfill: books already running finish');
        renderBackfill(backfill);
      })
      .catch(handleError),
  );
  $('undo').addEventListener('click', () =>
    onItem((id) => api('POST', `/api/items/${id}/undo`, {}), 'Undone'),
  );
  let typing;
  const refilter = () => {
    listQuery.q = $('f-q').value.trim();
    listQuery.decision = $('f-decision').value;
    listQuery.library = $('f-library').value;
    listQuery.provider = $('f-provider').value;
    listQuery.changed = $('f-changed').checked;
    listQuery.offset = 0;
    refreshLists().catch(handleError);
  };
  $('filters').addEventListener('submit', (event) => event.preventDefault());
  $('f-q').addEventListener('input', () => {
    clearTimeout(typing);
    typing = setTimeout(refilter, 250);
  });
  for (const id of ['f-decision', 'f-library', 'f-provider', 'f-changed'])
    $(id).addEventListener('change', refilter);
  $('prev').addEventListener('click', () => {
    listQuery.offset = Math.max(0, listQuery.offset - listQuery.limit);
    refreshLists().catch(handleError);
  });
  $('next').addEventListener('click', () => {
    listQuery.offset += listQuery.limit;
    refreshLists().catch(handleError);
  });
  $('sign-out').addEventListener('click', () => {
    tokenStore.clear();
    showLogin('Signed out.');
  });
  window.addEventListener('hashchange', route);
  document.addEventListener('keydown', onKey);
  if (tokenStore.get()) start();
  else showLogin();
});
