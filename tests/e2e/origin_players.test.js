// hls.js, dash.js and shaka-player play what the origin packages, in Debian's headless Chromium:
// each plays to the end without an error, seeks, and switches from a 640x360 to the 320x180 layer.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TwinServer, DEV_KEY } = require('./lib/server');
const { MediaClient, makeClip, publishClip } = require('./lib/media');
const { startPages, launch, play, describe } = require('./lib/players');

const MEDIA_KEY = 'players-media-account-key-000000';
let dc, work, base, pages, chromium;

test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-players-'));
  makeClip(path.join(work, 'clip.mp4'), { seconds: 8 });
  dc = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: `${MEDIA_KEY}:storea` } }).start();
  const client = new MediaClient(dc.mediaUrl, 'mediaa', MEDIA_KEY);
  await client.token();
  await client.discover();
  const pub = await publishClip(client, path.join(work, 'clip.mp4'));
  base = `${pub.origin.Path}${pub.ism}`;
  pages = await startPages();
  chromium = await launch();
});
test.after(async () => {
  await chromium?.browser.close();
  chromium?.cleanup();
  pages?.server.close();
  await dc?.stop();
  dc?.cleanup();
  fs.rmSync(work, { recursive: true, force: true });
});

const cases = [
  ['hls', 'manifest(format=m3u8-aapl)'],
  ['hls', 'manifest(format=m3u8-cmaf)'],
  ['dash', 'manifest(format=mpd-time-csf)'],
  ['dash', 'manifest'],
  ['shaka', 'manifest(format=mpd-time-cmaf)'],
  ['shaka', 'manifest'],
];

for (const [player, manifest] of cases) {
  test(`${player} plays ${manifest} to the end, seeks and switches layers`, async () => {
    const report = await play(chromium.browser, pages, player, `${base}/${manifest}`);
    const detail = describe(player, report);
    assert.deepStrictEqual(report.errors, [], detail);
    assert.deepStrictEqual(report.failedRequests, [], detail);
    assert.ok(report.ended, detail);
    assert.ok(report.seeked, detail);
    assert.ok(report.maxTime > 7.5, detail);
    assert.ok(report.widths.includes(640) && report.widths.includes(320), detail);
  });
}
