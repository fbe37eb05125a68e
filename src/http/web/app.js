// Backfill controls, sign-in and the page's start. Loaded after core, lists, item, review and actions.

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
