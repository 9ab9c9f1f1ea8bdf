// The assets panel (one row per published asset across the data centers, with its replication
// status and its URLs per format) and the jobs panel (live progress).
import { badge, bytes, copyText, element, postAction, when } from './api.js';

export const FORMATS = [
  { id: 'smooth', label: 'Smooth', suffix: '' },
  { id: 'hls', label: 'HLS', suffix: '(format=m3u8-aapl)' },
  { id: 'dash', label: 'DASH', suffix: '(format=mpd-time-csf)' },
  { id: 'hls-cmaf', label: 'HLS CMAF', suffix: '(format=m3u8-cmaf)' },
  { id: 'dash-cmaf', label: 'DASH CMAF', suffix: '(format=mpd-time-cmaf)' },
];

const REPLICATION = {
  'in-both': ['ok', 'in both'],
  'only-in-one': ['warn', 'only in one'],
  differs: ['bad', 'differs'],
};

// verify's verdicts, each also said in words.
const VERIFY = {
  pending: ['unknown', 'verify queued'],
  running: ['warn', 'verifying'],
  same: ['ok', 'verified'],
  different: ['bad', 'verify: different'],
  'no-answer': ['warn', 'not verified'],
};

// The path every data center serves the asset under: "/<locator guid>/<name>.ism/manifest".
export function streamingPath(row) {
  for (const asset of Object.values(row.assets)) {
    const locator = asset.locators.find((l) => l.id === row.locator_id);
    if (locator && asset.manifest) {
      return `${new URL(locator.path).pathname.replace(/\/?$/, '/')}${encodeURIComponent(asset.manifest)}/manifest`;
    }
  }
  return null;
}

function urlList(base, path) {
  return element('div', { class: 'urls' }, FORMATS.map((f) => {
    const url = `${base}${path}${f.suffix}`;
    const button = element('button', { type: 'button', class: 'copy', text: 'copy',
      'aria-label': `copy the ${f.label} URL`, onclick: () => copyText(url, button) });
    return [element('span', { text: f.label }), element('code', { text: url }), button];
  }));
}

function originBase(row, dcName, datacenters) {
  const dc = datacenters.find((d) => d.name === dcName);
  if (dc && dc.streaming_url) return dc.streaming_url.replace(/\/$/, '');
  const asset = row.assets[dcName];
  const locator = asset && asset.locators.find((l) => l.id === row.locator_id);
  return locator ? new URL(locator.path).origin : null;
}

// Where viewers reach this front: its viewers' listener, which is not this page's own when the
// dashboard has an admin listener ("0.0.0.0" listens everywhere: this page's host then).
function viewerBase(viewerUrl) {
  if (!viewerUrl) return location.origin;
  const url = new URL(viewerUrl);
  if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = location.hostname;
  return url.origin;
}

function urlsCell(row, datacenters, viewerUrl) {
  const path = streamingPath(row);
  if (!path) return element('td', { class: 'detail', text: 'not published (no origin locator)' });
  const perDc = Object.keys(row.assets).map((name) => {
    const base = originBase(row, name, datacenters);
    return base && element('details', { 'data-key': `${row.locator_id}/${name}` }, element('summary', { text: `straight from data center ${name}` }),
      urlList(base, path));
  });
  return element('td', {}, element('div', { class: 'detail', text: 'through this front' }),
    urlList(viewerBase(viewerUrl), path), perDc);
}

function copiesCell(row) {
  return element('td', {}, Object.entries(row.assets).map(([dc, a]) => element('div', {
    'data-copy': dc, 'data-asset-id': a.id, 'data-files': a.files.length },
    element('strong', { text: `${dc}: ` }),
    `${a.state}, ${a.files.length} files, ${bytes(a.size)}`)));
}

// On a phone the tables become one block per row; each cell then says what it is.
function labelCells(tr, labels) {
  [...tr.children].forEach((td, i) => td.setAttribute('data-label', labels[i]));
  return tr;
}

function checkList(checks) {
  return element('ul', { class: 'checks' }, checks.map((c) => element('li', { 'data-check': c.item },
    badge(c.same ? 'ok' : c.no_answer ? 'warn' : 'bad', c.same ? 'same' : c.no_answer ? 'no answer' : 'different'),
    element('strong', { text: `${c.item} ` }), element('span', { class: 'detail', text: c.detail }))));
}

async function verifyNow(row, button) {
  button.disabled = true;
  try {
    await postAction(`/front/api/verify/${encodeURIComponent(row.locator_id)}`);
    button.textContent = 'queued';
  } catch (e) {
    button.textContent = `refused (${e.status})`;
    button.title = e.message;
  }
}

// verify's verdict for each other data center: what it compared, item by item, and when.
function verdicts(row) {
  if (!row.verify || !row.verify.length) return null;
  return [row.verify.map((v) => {
    const [state, label] = VERIFY[v.state] || ['unknown', v.state];
    const checks = v.checks.length ? `${v.checks.filter((c) => c.same).length} of ${v.checks.length} checks the same` : '';
    return element('details', { class: 'verify', 'data-key': `${row.locator_id}/verify/${v.to}`, 'data-verify': v.state },
      element('summary', {}, badge(state, label), ` ${v.from} → ${v.to}`,
        v.finished_ms && v.state !== 'pending' && v.state !== 'running'
          ? element('span', { class: 'detail', text: ` at ${new Date(v.finished_ms).toLocaleTimeString()}, in ${(v.took_ms / 1000).toFixed(1)} s` }) : null),
      element('div', { class: 'detail', text: v.detail || checks || 'as `twinorigin verify` compares: blobs, files, locator, every stream' }),
      checkList(v.checks));
  }), element('button', { type: 'button', class: 'verify-now', text: 'verify now',
    'aria-label': `verify ${row.locator_id} again`, onclick: (event) => verifyNow(row, event.target) })];
}

function assetRow(row, datacenters, viewerUrl) {
  const [state, label] = REPLICATION[row.replication] || ['unknown', row.replication];
  const shown = row.replication === 'only-in-one' ? row.detail : label;
  const names = Object.values(row.assets).map((a) => a.name);
  return labelCells(element('tr', { 'data-locator': row.locator_id || null, 'data-name': names[0] || '' },
    element('td', {}, element('div', { text: names[0] || '(no name)' }),
      element('div', { class: 'detail', text: row.locator_id || Object.values(row.assets)[0].id })),
    element('td', {}, badge(state, shown), row.replication === 'differs' ? element('div', { class: 'detail', text: row.detail }) : null,
      verdicts(row)),
    copiesCell(row),
    urlsCell(row, datacenters, viewerUrl)), ['Asset', 'Replication', 'Data centers', 'Streaming URLs']);
}

export function renderAssets(assets) {
  const note = document.getElementById('assets-note');
  const body = document.querySelector('#asset-table tbody');
  if (!assets.profiles) {
    note.textContent = 'This front was started without data center profiles (--profiles): it cannot read the media APIs.';
    body.replaceChildren();
    return;
  }
  const unreachable = assets.datacenters.filter((d) => !d.media.reachable && d.polled);
  note.textContent = unreachable.length
    ? unreachable.map((d) => `Data center ${d.name}'s media API does not answer (${d.media.detail}); ` +
      `its assets are as read at ${when(d.fetched_ms)}.`).join(' ')
    : `Read from ${assets.datacenters.map((d) => d.name).join(' and ')} at ` +
      `${when(Math.min(...assets.datacenters.map((d) => d.fetched_ms)))}.`;
  // Rows are drawn anew every two seconds: what the reader opened stays open.
  const open = new Set([...body.querySelectorAll('details[open]')].map((d) => d.dataset.key));
  body.replaceChildren(...assets.rows.map((row) => assetRow(row, assets.datacenters, assets.viewer_url)));
  for (const d of body.querySelectorAll('details[data-key]')) if (open.has(d.dataset.key)) d.open = true;
}

function jobRow(job, namesById) {
  const state = job.state === 'Finished' ? 'ok' : job.state === 'Error' ? 'bad'
    : job.state === 'Canceled' || job.state === 'Canceling' ? 'warn' : 'unknown';
  const inputs = job.inputs.map((id) => namesById.get(id) || id).join(', ');
  return labelCells(element('tr', { 'data-job': job.id },
    element('td', {}, element('div', { text: job.name }), element('div', { class: 'detail', text: `input: ${inputs}` })),
    element('td', { text: job.datacenter }),
    element('td', {}, badge(state, job.state)),
    element('td', {}, element('progress', { max: 100, value: job.progress, 'aria-label': `${job.name} progress` }),
      ` ${job.progress.toFixed(0)} %`),
    element('td', { text: when(job.created_ms) })), ['Job', 'Data center', 'State', 'Progress', 'Created']);
}

export function renderJobs(assets) {
  const namesById = new Map();
  for (const row of assets.rows) for (const a of Object.values(row.assets)) namesById.set(a.id, a.name);
  const jobs = [...assets.jobs].sort((x, y) => (y.created_ms || 0) - (x.created_ms || 0));
  document.querySelector('#job-table tbody').replaceChildren(...jobs.map((j) => jobRow(j, namesById)));
}
