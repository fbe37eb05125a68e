// ABS Metadata Bridge web page (core: token, API, DOM and formatting helpers): plain DOM, no framework.
// The page is split into classic scripts sharing one global scope, loaded in order by index.html:
// core, lists, item, review, actions, app, tidy. Every value from the API is inserted
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
