// What every panel shares: reading the front's JSON, the admin key (given in the URL's fragment
// by `twinorigin demo`, kept for this tab only), and small formatting helpers.

export async function getJson(path) {
  const res = await fetch(path, { cache: 'no-store' });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return res.json();
}

// An action (POST with the admin key, JSON both ways): the answer's JSON, or an Error with
// the server's message and status.
export async function postAction(path, body = {}) {
  const res = await fetch(path, {
    method: 'POST', body: JSON.stringify(body),
    headers: { Authorization: `Bearer ${adminKey()}`, 'Content-Type': 'application/json' },
  });
  const answer = await res.json().catch(() => ({}));
  if (!res.ok) {
    const error = new Error(answer.error ? answer.error.message : `${path} answered ${res.status}`);
    error.status = res.status;
    throw error;
  }
  return answer;
}

// "#key=…" is read once and removed from the address bar, so it is not left in screenshots
// or shared links; the tab keeps it in sessionStorage.
export function adminKey() {
  const match = /(?:^|[#&])key=([^&]+)/.exec(location.hash);
  if (match) {
    sessionStorage.setItem('twinorigin-admin-key', decodeURIComponent(match[1]));
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem('twinorigin-admin-key') || '';
}

export function element(tag, attributes = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') el.textContent = value;
    else if (name.startsWith('on')) el.addEventListener(name.slice(2), value);
    else el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// A state as a word in a coloured frame: ok, bad, warn or unknown.
export function badge(state, label) {
  return element('span', { class: 'badge', 'data-state': state, text: label });
}

export function bytes(n) {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = -1;
  do { v /= 1024; u += 1; } while (v >= 1024 && u < units.length - 1);
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[u]}`;
}

export function when(ms) {
  if (!ms) return '–';
  return new Date(ms).toLocaleString();
}

// The colour of a data center in the charts and the segment strip.
// (Hex, not CSS variables: SVG presentation attributes do not take var().)
export function colourOf(name) {
  return name === 'A' ? '#1f6fd1' : name === 'B' ? '#d9731a' : '#6b7a8c';
}

export async function copyText(text, button) {
  try {
    await navigator.clipboard.writeText(text);
    button.textContent = 'copied';
  } catch {
    button.textContent = 'select and copy';
  }
  setTimeout(() => { button.textContent = 'copy'; }, 1500);
}
