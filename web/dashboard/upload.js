// The upload panel: drop a video, and the walkthrough runs step by step. The front creates an
// asset with a write SAS locator; this page puts the file straight into that data center's
// storage through the SAS URL (4 MiB blocks, then the block list; the storage service's CORS
// rules let this page do it), with a progress bar; then the front registers the file, encodes
// it with the chosen preset, publishes it and replicates it into the other data center, and the
// page shows each step as it runs.
import { adminKey, badge, element, getJson, postAction } from './api.js';

const BLOCK = 4 * 1024 * 1024;
const STATES = { done: 'ok', failed: 'bad', running: 'warn', pending: 'unknown' };

function renderSteps(steps) {
  document.getElementById('upload-steps').replaceChildren(...steps.map((s) => element('li', { 'data-step': s.name },
    badge(STATES[s.state] || 'unknown', s.state), ` ${s.name} `,
    s.progress !== null && s.progress !== undefined
      ? element('progress', { max: 100, value: s.progress, 'aria-label': `${s.name} progress` }) : null,
    s.progress !== null && s.progress !== undefined ? ` ${Math.round(s.progress)} %` : '',
    s.detail ? element('span', { class: 'detail', text: ` ${s.detail}` }) : null)));
}

// One PUT through the SAS URL, reporting bytes sent.
function put(url, body, headers, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.addEventListener('progress', (e) => onProgress(e.loaded));
    xhr.addEventListener('load', () => (xhr.status === 201 ? resolve()
      : reject(new Error(`storage answered ${xhr.status}: ${xhr.getResponseHeader('x-ms-error-code') || ''}`))));
    xhr.addEventListener('error', () => reject(new Error('storage did not answer (CORS or network)')));
    xhr.send(body);
  });
}

async function putFile(uploadUrl, file, onProgress) {
  const url = new URL(uploadUrl);
  const blob = `${url.origin}${url.pathname}/${encodeURIComponent(file.name)}`;
  const sas = url.search.slice(1);
  const version = { 'x-ms-version': '2021-10-04' };
  const ids = [];
  for (let offset = 0, n = 0; offset < file.size || n === 0; offset += BLOCK, n += 1) {
    const id = btoa(`block-${String(n).padStart(6, '0')}`);
    ids.push(id);
    await put(`${blob}?${sas}&comp=block&blockid=${encodeURIComponent(id)}`, file.slice(offset, offset + BLOCK),
      version, (sent) => onProgress(offset + sent));
    if (file.size === 0) break;
  }
  const list = `<?xml version="1.0" encoding="utf-8"?><BlockList>${ids.map((i) => `<Latest>${i}</Latest>`).join('')}</BlockList>`;
  await put(`${blob}?${sas}&comp=blocklist`, list,
    { ...version, 'x-ms-blob-content-type': file.type || 'video/mp4', 'Content-Type': 'application/xml' }, () => {});
}

async function follow(taskId) {
  for (;;) {
    const task = await getJson(`/front/api/upload/${encodeURIComponent(taskId)}`);
    renderSteps(task.steps);
    if (task.steps.some((s) => s.state === 'failed')) return task;
    if (task.steps.every((s) => s.state === 'done')) return task;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function start(file) {
  const note = document.getElementById('upload-note');
  if (!adminKey()) { note.textContent = 'Uploading needs the admin key (Drill panel).'; return; }
  const datacenter = document.getElementById('upload-datacenter').value;
  const preset = document.getElementById('upload-preset').value;
  note.textContent = `Uploading ${file.name} into data center ${datacenter}…`;
  try {
    const task = await postAction('/front/api/upload', { datacenter, name: file.name });
    const steps = task.steps;
    renderSteps(steps);
    const uploadStep = steps.find((s) => s.name === 'upload');
    await putFile(task.upload_url, file, (sent) => {
      uploadStep.progress = file.size ? (100 * Math.min(sent, file.size)) / file.size : 100;
      uploadStep.detail = `${(sent / 1048576).toFixed(1)} of ${(file.size / 1048576).toFixed(1)} MiB`;
      renderSteps(steps);
    });
    await postAction(`/front/api/upload/${encodeURIComponent(task.id)}/uploaded`, { preset });
    const done = await follow(task.id);
    const failed = done.steps.find((s) => s.state === 'failed');
    note.textContent = failed ? `${failed.name} failed: ${failed.detail}`
      : `${file.name} is published under ${done.locator_id} and replicated: play it in the Player panel.`;
    document.getElementById('upload-panel').dataset.locator = failed ? '' : done.locator_id;
  } catch (e) {
    note.textContent = `Upload stopped: ${e.message}`;
  }
}

export async function setupUpload() {
  const { presets } = await getJson('/front/api/presets');
  document.getElementById('upload-preset').replaceChildren(...presets.map((p) => element('option', { value: p, text: p })));
  const input = document.getElementById('upload-file');
  input.addEventListener('change', () => { if (input.files[0]) start(input.files[0]); });
  const zone = document.getElementById('upload-zone');
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.dataset.over = 'true'; });
  zone.addEventListener('dragleave', () => { delete zone.dataset.over; });
  zone.addEventListener('drop', (e) => {
    e.preventDefault();
    delete zone.dataset.over;
    if (e.dataTransfer.files[0]) start(e.dataTransfer.files[0]);
  });
}

export function updateUploadDatacenters(assets) {
  const select = document.getElementById('upload-datacenter');
  const names = assets.datacenters.map((d) => d.name);
  if ([...select.options].map((o) => o.value).join() === names.join()) return;
  select.replaceChildren(...names.map((n) => element('option', { value: n, text: `data center ${n}` })));
}
