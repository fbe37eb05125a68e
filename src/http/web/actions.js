// Actions on items, routing, the keyboard and live updates. Uses the helpers loaded before it.

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
  // j/k move from the item the address names (the next press may come before it has loaded);
  // a/r act on the item shown, never on one still loading.
  const named = /^#item\/(.+)$/.exec(location.hash);
  const from = reviewIds.indexOf(named ? decodeURIComponent(named[1]) : currentItemId);
  const at = reviewIds.indexOf(currentItemId);
  const go = (index) => {
    const id = reviewIds[index];
    if (id) location.hash = `#item/${encodeURIComponent(id)}`;
  };
  if (event.key === 'j') go(from + 1);
  else if (event.key === 'k') go(Math.max(0, from - 1));
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
