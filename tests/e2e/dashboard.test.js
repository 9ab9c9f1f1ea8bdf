// The dashboard on the demo's topology (`twinorigin demo --no-drill`: data centers A and B as
// child processes, the front before their origins with the profiles file): headless Chromium
// (playwright-core) opens the link the demo prints. The page and its players come from the
// front's binary only (every request intercepted), with no console error; its asset and job
// tables match what the two media APIs answer to the walkthrough's own REST calls; a stream
// plays through the front with hls.js (its default retry settings) and its segments come from A;
// "hang" on A's drill panel (SIGSTOP of A's process) leaves it playing with no stall and no error
// while the segment strip turns to B, and "restore" turns it back to A; actions without the key
// get 401 and from another site's page are refused; a clip dropped on the upload panel goes to
// storage through a SAS URL (CORS) and comes out encoded, published, replicated and playable.
// The assets panel's replication status is verify's own verdict (the same checks as the
// command), and "verify now" finds a blob slipped into B behind the media API's back.
// Screenshots of each panel, at 1280×720 and
// at phone width, go to tests/e2e/output/dashboard/.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { start } = require('./lib/twin_cli');
const { launch } = require('./lib/players');
const http = require('node:http');
const { MediaClient, key, makeClip } = require('./lib/media');
const { BlobServiceClient, StorageSharedKeyCredential } = require('@azure/storage-blob');

const { waitFor } = require('./lib/wait');

const OUTPUT = path.join(__dirname, 'output', 'dashboard');
let demo;
let ready;
let browser;
let work;

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

// A page that records every request it makes and every console error; with `closed`, any
// request that leaves the front is intercepted, recorded and aborted.
async function openPage(viewport, { closed = false } = {}) {
  const context = await browser.newContext({ viewport });
  const seen = { requests: [], errors: [], intercepted: [] };
  const front = new URL(ready.dashboard).origin;
  if (closed) {
    await context.route((url) => url.origin !== front, (route) => {
      seen.intercepted.push(route.request().url());
      return route.abort('blockedbyclient');
    });
  }
  const page = await context.newPage();
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
  // 40 s, so that playback lasts through a hang and a restore; 360p, so that the encode is short.
  const clip = path.join(work, 'clip.mp4');
  makeClip(clip, { seconds: 40 });
  demo = start(['demo', clip, '--no-drill', '--keep', path.join(work, 'demo'), '--ready-file', readyFile]);
  await waitFor('the demo to publish and replicate', () => {
    if (demo.proc.exitCode !== null) throw new Error(`demo exited: ${demo.proc.output()}`);
    return fs.existsSync(readyFile);
  }, 300000);
  ready = JSON.parse(fs.readFileSync(readyFile, 'utf8'));
  ({ browser } = await launch());
});

test.after(async () => {
  if (browser) await browser.close();
  let result;
  if (demo && demo.proc.exitCode === null) {
    demo.proc.kill('SIGINT');
    const timer = setTimeout(() => demo.proc.kill('SIGKILL'), 30000);
    result = await demo.done;
    clearTimeout(timer);
  }
  if (work) fs.rmSync(work, { recursive: true, force: true });
  // A clean stop (under the sanitizer build too: no leak, no error report).
  if (result) assert.strictEqual(result.code, 0, demo.proc.output().slice(-3000));
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
      // The page reads every 2 s: wait until it has read what the API answered (ids and files).
      const ids = (dc) => rows.filter((r) => r.dc === dc).map((r) => `${r.id}:${r.files}`).sort().join();
      const api = (dc) => Object.entries(expected[dc].assets).map(([id, a]) => `${id}:${a.files}`).sort().join();
      return ids('A') === api('A') && ids('B') === api('B') ? rows : null;
    }).catch(async (e) => {
      const rows = await page.$$eval('#asset-table tbody [data-asset-id]', (els) => els.map((x) => `${x.dataset.copy} ${x.dataset.assetId} ${x.dataset.files}`));
      throw new Error(`${e.message}: page ${rows.join('; ')} | API ${JSON.stringify(expected)}`);
    });
    assert.ok(shown.length >= 3, JSON.stringify(shown));
    // The published asset is one row, in both, and its front URLs carry the demo's path.
    const row = page.locator(`#asset-table tr[data-locator="${ready.locator}"]`);
    assert.strictEqual(await row.locator('td[data-label="Replication"] > .badge').textContent(), 'in both');
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

// The row's verdicts, as the page shows them: [item, label] for every check of A → B.
async function shownVerdict(row) {
  return row.locator('details.verify').evaluateAll((els) => els.map((d) => ({
    state: d.dataset.verify,
    checks: [...d.querySelectorAll('[data-check]')].map((c) => [c.dataset.check, c.querySelector('.badge').textContent]),
  })));
}

async function waitForVerdict(row, state, timeoutMs = 120000) {
  return waitFor(`verify's verdict "${state}"`, async () => {
    const [v] = await shownVerdict(row);
    return v && v.state === state ? v : null;
  }, timeoutMs).catch(async (e) => {
    throw new Error(`${e.message}: ${JSON.stringify(await shownVerdict(row))}`);
  });
}

test("the replication status is verify's: the same checks and verdict as `twinorigin verify`, and a blob only in B found on 'verify now'", async () => {
  const { page, context, seen } = await openPage({ width: 1280, height: 720 });
  const b = ready.datacenters.B;
  let extra;
  try {
    const row = page.locator(`#asset-table tr[data-locator="${ready.locator}"]`);
    const verdict = await waitForVerdict(row, 'same');
    // The command, run on the same profiles, compares the same items and finds them the same.
    const cli = await start(['verify', '--profiles', ready.profiles, '--from', 'A', '--to', 'B', '--locator', ready.locator]).done;
    assert.strictEqual(cli.code, 0, cli.stdout + cli.stderr);
    const cliChecks = [...cli.stdout.matchAll(/^ {2}(\S.*?) {2,}(same|DIFFERENT|NO ANSWER) /gm)].map((m) => [m[1].trim(), m[2]]);
    assert.deepStrictEqual(verdict.checks, cliChecks);
    assert.strictEqual(verdict.checks.length, 9);  // locator, blobs, files and six stream formats
    await row.locator('details.verify summary').click();
    await page.locator('#assets').screenshot({ path: path.join(OUTPUT, 'assets-verified.png') });

    // A blob put into B's copy behind the media API's back: the files it lists do not change,
    // so only "verify now" finds it.
    const bAsset = await row.locator('[data-copy="B"]').getAttribute('data-asset-id');
    const uri = (await (await mediaClient(b)).get(`Assets${key(bAsset)}`)).Uri;
    const storage = new BlobServiceClient(b.storage, new StorageSharedKeyCredential(b.storage_account, b.storage_key));
    extra = storage.getContainerClient(uri.split('/').pop()).getBlockBlobClient('extra.txt');
    await extra.upload('not from A', 10);
    await row.locator('button.verify-now').click();
    const different = await waitForVerdict(row, 'different');
    assert.deepStrictEqual(different.checks.find((c) => c[0] === 'blobs'), ['blobs', 'different']);
    assert.strictEqual(await row.locator('td[data-label="Replication"] > .badge').textContent(), 'differs');
    assert.match(await row.locator('td[data-label="Replication"]').textContent(), /blobs: extra\.txt is only in B/);

    await extra.delete();
    extra = null;
    await row.locator('button.verify-now').click();
    await waitForVerdict(row, 'same');
    assert.strictEqual(await row.locator('td[data-label="Replication"] > .badge').textContent(), 'in both');
    assert.deepStrictEqual(seen.errors, []);
  } finally {
    if (extra) await extra.deleteIfExists();
    await context.close();
  }
  // Each verdict is counted for Prometheus.
  const metrics = await (await fetch(`${ready.front}/metrics`)).text();
  const counted = (result) => Number((metrics.match(new RegExp(`^twin_dashboard_verifications_total\\{result="${result}"\\} (\\d+)$`, 'm')) || [])[1]);
  assert.ok(counted('same') >= 2 && counted('different') >= 1, metrics);
  // Asking for a locator that is not replicated: 404, in the JSON error shape.
  const res = await fetch(`${ready.front}/front/api/verify/nb%3Alid%3AUUID%3Anone`, {
    method: 'POST', headers: { Authorization: `Bearer ${ready.admin_key}` },
  });
  assert.strictEqual(res.status, 404);
  assert.strictEqual((await res.json()).error.code, 'NotFound');
});

test('a stream plays through the front with hls.js, its segments from A; nothing comes from outside the binary', async () => {
  const { page, context, seen } = await openPage({ width: 1280, height: 720 }, { closed: true });
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
    assert.deepStrictEqual(seen.intercepted, []);  // and it played with everything else cut off
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

// The strip's entries from `from` on, as data center letters.
async function stripFrom(page, from) {
  return (await page.$$eval('#segment-strip li', (els) => els.map((e) => e.dataset.dc))).slice(from);
}

async function play(page) {
  await page.waitForSelector(`#player-asset option[value="${ready.locator}"]`, { state: 'attached' });
  await page.selectOption('#player-asset', ready.locator);
  await page.selectOption('#player-protocol', 'hls');
  await page.selectOption('#player-engine', 'hls.js');
  await page.click('#player-form button[type=submit]');
}

test('hang A on the drill panel: no stall, no error, the strip turns to B; restore: back to A', async () => {
  const { page, context, seen } = await openPage({ width: 1280, height: 720 });
  try {
    await page.waitForSelector('[data-drill="A"] button[data-action="hang"]');
    await play(page);
    await waitFor('segments from A', async () => (await stripFrom(page, 0)).filter((dc) => dc === 'A').length >= 4);

    const beforeHang = (await stripFrom(page, 0)).length;
    await page.click('[data-drill="A"] button[data-action="hang"]');
    await waitFor('the hang to be taken', async () => /A: hang done/.test(await page.textContent('#drill-note')));
    await waitFor('a segment from B', async () => (await stripFrom(page, beforeHang)).includes('B'), 30000);
    await page.locator('#player').screenshot({ path: path.join(OUTPUT, 'player-after-hang.png') });
    await page.locator('#drill').screenshot({ path: path.join(OUTPUT, 'drill.png') });

    const beforeRestore = (await stripFrom(page, 0)).length;
    await page.click('[data-drill="A"] button[data-action="restore"]');
    await waitFor('the restore to be taken', async () => /A: restore done/.test(await page.textContent('#drill-note')));
    await waitFor('segments from A again', async () => (await stripFrom(page, beforeRestore)).includes('A'), 30000);
    await page.locator('#player').screenshot({ path: path.join(OUTPUT, 'player-after-restore.png') });

    const stats = await page.evaluate(() => window.twinPlayer());
    assert.strictEqual(stats.stalls, 0, JSON.stringify(stats));
    assert.strictEqual(stats.errors, 0, JSON.stringify(stats));
    assert.strictEqual(stats.failed, 0, JSON.stringify(stats));
    assert.ok(stats.servedBy.B >= 1, JSON.stringify(stats));
    assert.deepStrictEqual(seen.errors, []);
  } finally {
    await context.close();
    // Whatever happened, A runs again for the tests after this one.
    await fetch(`${ready.front}/front/api/drill/A/restore`, { method: 'POST', headers: { Authorization: `Bearer ${ready.admin_key}` } });
  }
});

test('an upload from the page goes through to a playable asset replicated into B', async () => {
  const clip = path.join(work, 'upload.mp4');
  makeClip(clip, { seconds: 4 });
  const { page, context, seen } = await openPage({ width: 1280, height: 720 });
  try {
    await page.waitForSelector('#upload-preset option[value="H264 Multiple Bitrate 720p"]', { state: 'attached' });
    await page.waitForSelector('#upload-datacenter option[value="A"]', { state: 'attached' });
    await page.selectOption('#upload-datacenter', 'A');
    await page.selectOption('#upload-preset', 'H264 Multiple Bitrate 720p');
    await page.setInputFiles('#upload-file', clip);
    const locator = await waitFor('the upload to be published and replicated', async () => {
      const failed = await page.$$eval('#upload-steps li', (els) => els.filter((e) => e.querySelector('.badge').textContent === 'failed')
        .map((e) => e.textContent));
      if (failed.length) throw new Error(`a step failed: ${failed.join('; ')}`);
      return page.$eval('#upload-panel', (e) => e.dataset.locator || null);
    }, 180000).catch(async (e) => {
      throw new Error(`${e.message}: ${await page.textContent('#upload-note')} | ${await page.textContent('#upload-steps')}`);
    });
    const steps = await page.$$eval('#upload-steps li', (els) => els.map((e) => [e.dataset.step, e.querySelector('.badge').textContent]));
    assert.deepStrictEqual(steps, [['create asset', 'done'], ['upload', 'done'], ['encode', 'done'], ['publish', 'done'],
      ['replicate to B', 'done']]);
    await page.locator('#upload').screenshot({ path: path.join(OUTPUT, 'upload.png') });

    // B has it under the same locator Id, as the walkthrough's replication makes it.
    const b = await mediaClient(ready.datacenters.B);
    const inB = await b.get(`Locators${key(locator)}`);
    assert.strictEqual(inB.Id, locator);
    // And it plays through the front.
    await page.waitForSelector(`#player-asset option[value="${locator}"]`, { state: 'attached', timeout: 30000 });
    await page.selectOption('#player-asset', locator);
    await page.selectOption('#player-protocol', 'dash');
    await page.selectOption('#player-engine', 'dash.js');
    await page.click('#player-form button[type=submit]');
    const stats = await waitFor('two segments of the upload', async () => {
      const s = await page.evaluate(() => window.twinPlayer());
      return s && s.segments >= 2 ? s : null;
    });
    assert.strictEqual(stats.failed, 0, JSON.stringify(stats));
    assert.deepStrictEqual(seen.errors, []);
  } finally {
    await context.close();
  }
});

test('actions without the key get 401; from another site they are refused, key or not', async () => {
  const action = `${ready.front}/front/api/drill/A/drain`;
  let res = await fetch(action, { method: 'POST' });
  assert.strictEqual(res.status, 401);
  res = await fetch(action, { method: 'POST', headers: { Authorization: 'Bearer wrong' } });
  assert.strictEqual(res.status, 401);
  res = await fetch(action, { method: 'POST', headers: { Authorization: `Bearer ${ready.admin_key}`, Origin: 'http://evil.example' } });
  assert.strictEqual(res.status, 403);
  assert.strictEqual((await res.json()).error.code, 'CrossSiteRequest');

  // A page of another origin, in the browser: a simple POST goes out (no preflight) and is
  // refused; one with the key needs a preflight the front does not grant.
  const other = http.createServer((req, resp) => { resp.writeHead(200, { 'Content-Type': 'text/html' }); resp.end('<p>elsewhere</p>'); });
  await new Promise((r) => other.listen(0, '127.0.0.1', r));
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`http://127.0.0.1:${other.address().port}/`);
    const outcome = await page.evaluate(async ([url, adminKey]) => {
      const simple = await fetch(url, { method: 'POST', mode: 'no-cors' }).then(() => 'sent', (e) => e.message);
      const keyed = await fetch(url, { method: 'POST', headers: { Authorization: `Bearer ${adminKey}` } })
        .then((r) => `answered ${r.status}`, () => 'blocked');
      return { simple, keyed };
    }, [action, ready.admin_key]);
    assert.deepStrictEqual(outcome, { simple: 'sent', keyed: 'blocked' });
  } finally {
    await context.close();
    other.close();
  }
  const status = await (await fetch(`${ready.front}/front/status`)).json();
  assert.strictEqual(status.origins.find((o) => o.name === 'A').drained, false);
  // With the key, from the front's own origin, it works, and enable undoes it.
  res = await fetch(action, { method: 'POST', headers: { Authorization: `Bearer ${ready.admin_key}`, Origin: ready.front } });
  assert.strictEqual(res.status, 200);
  assert.strictEqual((await res.json()).drained, true);
  res = await fetch(`${ready.front}/front/api/drill/A/enable`, { method: 'POST', headers: { Authorization: `Bearer ${ready.admin_key}` } });
  assert.strictEqual((await res.json()).drained, false);
});
