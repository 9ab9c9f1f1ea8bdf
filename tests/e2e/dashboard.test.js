// The dashboard on the demo's topology (`twinorigin demo --no-drill`: data centers A and B as
// child processes, the front before their origins with the profiles file): headless Chromium
// (playwright-core) opens the link the demo prints. The page and its players come from the
// front's binary only (every request intercepted), with no console error; its asset and job
// tables match what the two media APIs answer to the walkthrough's own REST calls; a stream
// plays through the front with hls.js and its segments come from A. Screenshots of each panel,
// at 1280×720 and at phone width, go to tests/e2e/output/dashboard/.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { start } = require('./lib/twin_cli');
const { launch } = require('./lib/players');
const { MediaClient, key } = require('./lib/media');

const OUTPUT = path.join(__dirname, 'output', 'dashboard');
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let demo;
let ready;
let browser;
let work;

async function waitFor(what, fn, timeoutMs = 60000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

async function mediaClient(dc) {
  const client = new MediaClient(new URL(dc.media_api).origin, dc.media_account, dc.media_key);
  await client.token();
  await client.discover();
  return client;
}

// What the walkthrough's calls say a data center holds: assets with their files, and jobs.
async function mediaContents(dc) {
  const client = await mediaClient(dc);
  const assets = {};
  for (const a of await client.get('Assets')) {
    const files = await client.get(`Assets${key(a.Id)}/Files`);
    assets[a.Id] = { name: a.Name, files: files.length };
  }
  const jobs = {};
  for (const j of await client.get('Jobs')) jobs[j.Id] = { name: j.Name, state: j.State };
  return { assets, jobs };
}

// A page that records every request it makes and every console error.
async function openPage(viewport) {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const seen = { requests: [], errors: [] };
  page.on('request', (r) => seen.requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') seen.errors.push(m.text()); });
  page.on('pageerror', (e) => seen.errors.push(e.message));
  await page.goto(ready.dashboard);
  return { page, context, seen };
}

test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-dashboard-'));
  fs.rmSync(OUTPUT, { recursive: true, force: true });
  fs.mkdirSync(OUTPUT, { recursive: true });
  const readyFile = path.join(work, 'ready.json');
  demo = start(['demo', '--seconds', '6', '--no-drill', '--keep', path.join(work, 'demo'), '--ready-file', readyFile]);
  await waitFor('the demo to publish and replicate', () => {
    if (demo.proc.exitCode !== null) throw new Error(`demo exited: ${demo.proc.output()}`);
    return fs.existsSync(readyFile);
  }, 300000);
  ready = JSON.parse(fs.readFileSync(readyFile, 'utf8'));
  ({ browser } = await launch());
});

test.after(async () => {
  if (browser) await browser.close();
  if (demo && demo.proc.exitCode === null) {
    demo.proc.kill('SIGINT');
    const timer = setTimeout(() => demo.proc.kill('SIGKILL'), 30000);
    await demo.done;
    clearTimeout(timer);
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

test('the demo prints the dashboard link with the admin key in the fragment', () => {
  assert.match(ready.dashboard, /^http:\/\/127\.0\.0\.1:\d+\/dashboard\/#key=/);
  assert.ok(demo.proc.output().includes(`dashboard ${ready.dashboard}`), demo.proc.output());
  assert.strictEqual(decodeURIComponent(ready.dashboard.split('#key=')[1]), ready.admin_key);
});

test('the page shows both data centers, and its tables match what the media APIs answer', async () => {
  const { page, context, seen } = await openPage({ width: 1280, height: 720 });
  try {
    // The key leaves the address bar at once (it stays in the tab's sessionStorage).
    assert.ok(!page.url().includes('key='), page.url());
    await page.waitForSelector('[data-datacenter="A"] .badge');
    const cards = await page.$$eval('[data-datacenter]', (els) => els.map((e) => ({
      name: e.dataset.datacenter, badges: [...e.querySelectorAll('.checks .badge')].map((b) => b.textContent),
    })));
    assert.deepStrictEqual(cards.map((c) => c.name), ['A', 'B']);
    // origin up, media API and storage reachable, each said in words
    await waitFor('both media APIs read', async () => (await page.$$eval('[data-datacenter] .checks .badge',
      (els) => els.map((e) => e.textContent))).join() === 'up,reachable,reachable,up,reachable,reachable');

    const expected = { A: await mediaContents(ready.datacenters.A), B: await mediaContents(ready.datacenters.B) };
    // Rows: per data center, the asset ids the page shows must be exactly the API's.
    const shown = await waitFor('the asset table to match', async () => {
      const rows = await page.$$eval('#asset-table tbody [data-asset-id]', (els) => els.map((e) => ({
        dc: e.dataset.copy, id: e.dataset.assetId, files: Number(e.dataset.files), name: e.closest('tr').dataset.name,
      })));
      const ids = (dc) => rows.filter((r) => r.dc === dc).map((r) => r.id).sort().join();
      return ids('A') === Object.keys(expected.A.assets).sort().join() &&
        ids('B') === Object.keys(expected.B.assets).sort().join() ? rows : null;
    });
    for (const r of shown) assert.strictEqual(r.files, expected[r.dc].assets[r.id].files, `${r.dc} ${r.id}`);
    // The published asset is one row, in both, and its front URLs carry the demo's path.
    const row = page.locator(`#asset-table tr[data-locator="${ready.locator}"]`);
    assert.strictEqual(await row.locator('.badge').textContent(), 'in both');
    const urls = await row.locator('.urls').first().locator('code').allTextContents();
    const front = new URL(ready.dashboard).origin;
    assert.deepStrictEqual(urls, ['', '(format=m3u8-aapl)', '(format=mpd-time-csf)', '(format=m3u8-cmaf)',
      '(format=mpd-time-cmaf)'].map((s) => `${front}${ready.path}${s}`));
    // Jobs: the same ids and states as the API (JobState 3 = Finished).
    const jobs = await page.$$eval('#job-table tbody tr', (els) => els.map((e) => ({
      id: e.dataset.job, state: e.querySelector('.badge').textContent,
    })));
    const apiJobs = Object.entries(expected.A.jobs).concat(Object.entries(expected.B.jobs));
    assert.deepStrictEqual(jobs.map((j) => j.id).sort(), apiJobs.map(([id]) => id).sort());
    for (const j of jobs) assert.strictEqual(j.state, 'Finished');

    for (const panel of ['datacenters', 'assets', 'jobs'])
      await page.locator(`#${panel}`).screenshot({ path: path.join(OUTPUT, `${panel}.png`) });
    assert.deepStrictEqual(seen.errors, []);
  } finally {
    await context.close();
  }
});

test('a stream plays through the front with hls.js, its segments from A; nothing comes from outside the binary', async () => {
  const { page, context, seen } = await openPage({ width: 1280, height: 720 });
  try {
    await page.waitForSelector(`#player-asset option[value="${ready.locator}"]`, { state: 'attached' });
    await page.selectOption('#player-asset', ready.locator);
    await page.selectOption('#player-protocol', 'hls');
    await page.selectOption('#player-engine', 'hls.js');
    await page.click('#player-form button[type=submit]');
    const stats = await waitFor('four segments', async () => {
      const s = await page.evaluate(() => window.twinPlayer());
      return s && s.segments >= 4 ? s : null;
    });
    assert.deepStrictEqual(Object.keys(stats.servedBy), ['A'], JSON.stringify(stats));
    assert.strictEqual(stats.failed, 0);
    assert.strictEqual(stats.fatal, 0);
    const strip = await page.$$eval('#segment-strip li', (els) => els.map((e) => e.dataset.dc));
    assert.ok(strip.length >= 4 && strip.every((dc) => dc === 'A'), strip.join());
    await waitFor('a layer shown', async () => /\d+×\d+/.test(await page.textContent('[data-stat="layer"]')));
    await page.locator('#player').screenshot({ path: path.join(OUTPUT, 'player.png') });

    const front = new URL(ready.dashboard).origin;
    const outside = seen.requests.filter((u) => !u.startsWith(`${front}/`) && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert.deepStrictEqual(outside, []);
    assert.ok(seen.requests.some((u) => u.endsWith('/dashboard/vendor/hls.min.js')));
    assert.deepStrictEqual(seen.errors, []);
  } finally {
    await context.close();
  }
});

test('at phone width nothing runs off the side, and every state has a label', async () => {
  const { page, context, seen } = await openPage({ width: 390, height: 844 });
  try {
    await page.waitForSelector(`#asset-table tr[data-locator="${ready.locator}"]`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    // The tables become one block per row, each cell with its label, instead of scrolling.
    const wide = await page.$$eval('.table-wrap', (els) => els.filter((e) => e.scrollWidth > e.clientWidth).length);
    assert.strictEqual(wide, 0);
    const labels = await page.$$eval(`#asset-table tr[data-locator] td`, (els) => els.map((e) => getComputedStyle(e, '::before').content));
    assert.ok(labels.includes('"Streaming URLs"'), labels.join());
    const unlabeled = await page.$$eval('.badge', (els) => els.filter((e) => !e.textContent.trim()).length);
    assert.strictEqual(unlabeled, 0);
    await page.screenshot({ path: path.join(OUTPUT, 'phone.png'), fullPage: true });
    assert.deepStrictEqual(seen.errors, []);
  } finally {
    await context.close();
  }
});
