// The dashboard's main loop: reads the front's overview every second and the data centers'
// assets and jobs every two, and hands them to the panels.
import { adminKey, getJson } from './api.js';
import { renderDatacenters } from './datacenters.js';
import { renderAssets, renderJobs } from './assets.js';
import { setupPlayer, updatePlayerAssets, updatePlayerOverview } from './player.js';
import { refreshDrill, setupDrill } from './drill.js';
import { setupUpload, updateUploadDatacenters } from './upload.js';

adminKey();  // takes the key out of the address bar at once

function connection(state, text) {
  const el = document.getElementById('connection');
  el.dataset.state = state;
  el.textContent = text;
}

async function refreshOverview() {
  try {
    const overview = await getJson('/front/api/overview');
    renderDatacenters(overview);
    updatePlayerOverview(overview);
    connection('ok', `front answered at ${new Date().toLocaleTimeString()}`);
  } catch (e) {
    connection('bad', `front not answering: ${e.message}`);
  }
}

async function refreshAssets() {
  try {
    const assets = await getJson('/front/api/assets');
    renderAssets(assets);
    renderJobs(assets);
    updatePlayerAssets(assets);
    updateUploadDatacenters(assets);
  } catch (e) {
    document.getElementById('assets-note').textContent = `Cannot read the assets: ${e.message}`;
  }
}

function every(ms, fn) {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try { await fn(); } finally { running = false; }
  };
  tick();
  setInterval(tick, ms);
}

setupPlayer();
setupDrill();
setupUpload().catch((e) => { document.getElementById('upload-note').textContent = `Cannot read the presets: ${e.message}`; });
every(1000, refreshOverview);
every(2000, refreshAssets);
every(2000, () => refreshDrill().catch((e) => {
  document.getElementById('drill-mode').textContent = `Cannot read the drill state: ${e.message}`;
}));
