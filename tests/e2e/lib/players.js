// Real players in Debian's headless Chromium: a small static server hands out the test page and
// the players' builds from node_modules; playwright-core drives the browser.
'use strict';
const http = require('node:http');
const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

const MODULES = path.join(__dirname, '../node_modules');
const FILES = {
  '/player.html': path.join(__dirname, '../players/player.html'),
  '/hls.js': path.join(MODULES, 'hls.js/dist/hls.min.js'),
  '/dash.js': path.join(MODULES, 'dashjs/dist/modern/umd/dash.all.min.js'),
  '/dash-mss.js': path.join(MODULES, 'dashjs/dist/modern/umd/dash.mss.min.js'),
  '/isoboxer.js': path.join(MODULES, 'codem-isoboxer/dist/iso_boxer.min.js'),
  '/shaka.js': path.join(MODULES, 'shaka-player/dist/shaka-player.compiled.js'),
};
// dash.js plays Smooth with its separate MSS plugin; shaka-player builds Smooth init segments
// with codem-isoboxer.
const SCRIPTS = { hls: ['/hls.js'], dash: ['/dash.js', '/dash-mss.js'], shaka: ['/isoboxer.js', '/shaka.js'] };

async function startPages() {
  const server = http.createServer((req, res) => {
    const file = FILES[new URL(req.url, 'http://x').pathname];
    if (!file) { res.writeHead(404); res.end(); return; }
    res.writeHead(200, { 'Content-Type': file.endsWith('.html') ? 'text/html' : 'text/javascript' });
    fs.createReadStream(file).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${server.address().port}` };
}

async function launch() {
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
  });
  return { browser, cleanup: () => {} };  // playwright gives the browser a fresh temporary profile
}

// Plays src with the player to the end (seek and a layer switch on the way); returns the report.
async function play(browser, pages, player, src, { seekTo = 3, timeoutMs = 60000 } = {}) {
  const page = await browser.newPage();
  const console = [];
  page.on('console', (m) => console.push(m.text()));
  page.on('pageerror', (e) => console.push(`pageerror ${e.message}`));
  const failed = [];
  page.on('response', (r) => { if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failed.push(`${r.status()} ${r.url()}`); });
  try {
    await page.goto(`${pages.url}/player.html?player=${player}&src=${encodeURIComponent(src)}`);
    for (const script of SCRIPTS[player]) await page.addScriptTag({ url: `${pages.url}${script}` });
    await page.evaluate((t) => window.run(t), seekTo);
    let timedOut = false;
    await page.waitForFunction(() => window.report.ended || window.report.errors.length > 0, null,
      { timeout: timeoutMs, polling: 200 }).catch(() => { timedOut = true; });
    // What the test needs to say why playback did not end, whatever happened.
    const report = await page.evaluate(() => ({ ...window.where(), ...window.report }));
    report.timedOut = timedOut;
    report.console = console;
    report.failedRequests = failed;
    return report;
  } finally {
    await page.close();
  }
}

// Starts playing src from the start to the end with a small forward buffer (failover runs) and
// records what it received (player.html). Returns { playing(), finish() }: playing() resolves
// once the video plays; finish() waits for the end (or an error) and returns the report.
// fatalOnly: errors the player recovers from itself are reported apart (player.html fatal=only);
// cmcd: a session id, and the player sends CMCD under it.
async function startPlayThrough(browser, pages, player, src,
  { buffer = 4, timeoutMs = 90000, fatalOnly = false, cmcd = '' } = {}) {
  const page = await browser.newPage();
  const console = [];
  const failed = [];
  page.on('console', (m) => console.push(m.text()));
  page.on('pageerror', (e) => console.push(`pageerror ${e.message}`));
  page.on('response', async (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) failed.push(`${r.status()} ${r.url()}`);
  });
  // Requests that got no response at all (refused, reset, aborted), with when.
  const networkFailures = [];
  page.on('requestfailed', (r) => networkFailures.push({ url: r.url(), at: Date.now(), error: r.failure()?.errorText }));
  await page.goto(`${pages.url}/player.html?player=${player}&buffer=${buffer}${fatalOnly ? '&fatal=only' : ''}` +
    `${cmcd ? `&cmcd=${encodeURIComponent(cmcd)}` : ''}&src=${encodeURIComponent(src)}`);
  for (const script of SCRIPTS[player]) await page.addScriptTag({ url: `${pages.url}${script}` });
  await page.evaluate(() => { window.playThrough().catch((e) => window.report.errors.push('start ' + e)); });
  return {
    playing: () => page.waitForFunction(() => window.report.playing || window.report.errors.length > 0, null, { timeout: 30000, polling: 100 }),
    async finish() {
      try {
        let timedOut = false;
        await page.waitForFunction(() => window.report.ended || window.report.errors.length > 0, null,
          { timeout: timeoutMs, polling: 200 }).catch(() => { timedOut = true; });
        const report = await page.evaluate(() => ({ ...window.where(), ...window.report }));
        return { ...report, timedOut, console, failedRequests: failed, networkFailures };
      } finally {
        await page.close();
      }
    },
  };
}

// Why a playback failed, on one line with where it stood first (CI shows the head of a failure).
function describe(player, report) {
  const { ended, timedOut, currentTime, duration, maxTime, buffered, tracks, errors, failedRequests, stalls, widths,
    seeked } = report;
  return JSON.stringify({ player, ended, timedOut, currentTime, duration, maxTime, buffered, tracks, errors,
    failedRequests, stalls, widths, seeked, events: report.events.slice(-20),
    networkFailures: (report.networkFailures ?? []).slice(-6), console: report.console.slice(-12) });
}

module.exports = { startPages, launch, play, startPlayThrough, describe };
