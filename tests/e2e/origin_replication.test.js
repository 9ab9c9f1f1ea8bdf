// An asset replicated into a second data center, as the walkthrough does it, answers every
// streaming URL with the same bytes, ETag and type as the first: manifests of every format,
// HLS media playlists, init segments, every fragment of every layer, and the files.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TwinServer, DEV_KEY, KEY_B } = require('./lib/server');
const { makeClip, publishClip, replicate, connect } = require('./lib/media');

let dcA, dcB, work;
test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-repl-'));
  makeClip(path.join(work, 'clip.mp4'), { seconds: 5 });
  dcA = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: 'media-key-of-account-a-0123456789:storea' } }).start();
  dcB = await new TwinServer({ accounts: { storeb: KEY_B }, mediaAccounts: { mediab: 'media-key-of-account-b-9876543210:storeb' } }).start();
});
test.after(async () => {
  for (const dc of [dcA, dcB]) { await dc?.stop(); dc?.cleanup(); }
  fs.rmSync(work, { recursive: true, force: true });
});


async function fetchAll(url) {
  const res = await fetch(url);
  return { status: res.status, etag: res.headers.get('etag'), type: res.headers.get('content-type'),
    body: Buffer.from(await res.arrayBuffer()) };
}

// Every URL a player could ask for, relative to the .ism, found by reading the manifests.
async function everyUrl(base) {
  const urls = new Set();
  const text = async (u) => { urls.add(u); return (await fetchAll(`${base}/${u}`)).body.toString(); };
  const smooth = await text('manifest');
  await text('manifest(format=fmp4-v20)');
  for (const index of smooth.matchAll(/<StreamIndex[\s\S]*?<\/StreamIndex>/g)) {
    const url = index[0].match(/Url="([^"]+)"/)[1];
    const bitrates = [...index[0].matchAll(/Bitrate="(\d+)"/g)].map((m) => m[1]);
    let t = 0;
    const times = [];
    for (const c of index[0].matchAll(/<c(?: t="(\d+)")? d="(\d+)"(?: r="(\d+)")? \/>/g)) {
      if (c[1] !== undefined) t = Number(c[1]);
      for (let i = 0; i < Number(c[3] || 1); ++i) { times.push(t); t += Number(c[2]); }
    }
    for (const b of bitrates)
      for (const time of times) {
        const fragment = url.replace('{bitrate}', b).replace('{start time}', time);
        urls.add(fragment);
        for (const format of ['m3u8-aapl', 'm3u8-cmaf', 'mpd-time-csf', 'mpd-time-cmaf'])
          urls.add(fragment.replace(/\)$/, `,format=${format})`));
      }
  }
  for (const format of ['m3u8-aapl', 'm3u8-cmaf']) {
    const master = await text(`manifest(format=${format})`);
    for (const m of master.matchAll(/(QualityLevels\(\d+\)\/Manifest\([^)]*\))/g)) {
      const playlist = await text(m[1]);
      const dir = m[1].replace(/Manifest\(.*$/, '');
      for (const line of playlist.split('\n')) if (line.startsWith('Fragments(')) urls.add(dir + line);
      urls.add(dir + playlist.match(/URI="([^"]+)"/)[1]);
    }
  }
  for (const format of ['mpd-time-csf', 'mpd-time-cmaf']) await text(`manifest(format=${format})`);
  return [...urls];
}

test('a replicated asset answers every streaming URL with the same bytes in both data centers', async () => {
  const a = await connect(dcA, 'mediaa', 'media-key-of-account-a-0123456789');
  const b = await connect(dcB, 'mediab', 'media-key-of-account-b-9876543210');
  const pub = await publishClip(a, path.join(work, 'clip.mp4'));
  const copy = await replicate(a, b, pub);
  const pathA = new URL(pub.origin.Path).pathname, pathB = new URL(copy.origin.Path).pathname;
  assert.strictEqual(pathB, pathA, 'the same locator path in both data centers');
  const baseA = `${pub.origin.Path}${pub.ism}`, baseB = `${copy.origin.Path}${pub.ism}`;
  const urls = await everyUrl(baseA);
  assert.ok(urls.length > 60, `${urls.length} URLs`);
  for (const file of pub.files) urls.push(`../${file.Name}`);
  for (const u of urls) {
    const [x, y] = await Promise.all([fetchAll(`${baseA}/${u}`), fetchAll(`${baseB}/${u}`)]);
    assert.strictEqual(x.status, 200, `A ${u}`);
    assert.strictEqual(y.status, 200, `B ${u}`);
    assert.strictEqual(y.etag, x.etag, u);
    assert.strictEqual(y.type, x.type, u);
    assert.ok(y.body.equals(x.body), `bytes differ: ${u}`);
  }
});
