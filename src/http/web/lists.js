// The page's status line and lists (queues, library view). Uses core.js's helpers.

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
