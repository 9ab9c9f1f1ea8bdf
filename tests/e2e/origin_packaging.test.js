// The streaming origin on an encoded, published asset: every protocol's manifests, segments
// checked box by box, ffmpeg decoding each protocol, the MPD against the DASH schema, HTTP
// behaviour (Range, HEAD, CORS, ETag/304, caching), locator windows, and the refusals.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const HLS = require('hls-parser');
const { TwinServer, DEV_KEY } = require('./lib/server');
const { MediaClient, makeClip, publishClip, key } = require('./lib/media');
const { parseFragment, initTimescale, boxes } = require('./lib/boxes');

const MEDIA_KEY = 'origin-media-account-key-00000000';
const SCHEMA = path.resolve(__dirname, '../data/dash/DASH-MPD.xsd');
let dc, client, work, pub, base;

test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-origin-'));
  makeClip(path.join(work, 'clip.mp4'), { seconds: 7 });
  dc = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: `${MEDIA_KEY}:storea` } }).start();
  client = new MediaClient(dc.mediaUrl, 'mediaa', MEDIA_KEY);
  await client.token();
  await client.discover();
  pub = await publishClip(client, path.join(work, 'clip.mp4'));
  base = `${pub.origin.Path}${pub.ism}`;
});
test.after(async () => { await dc?.stop(); dc?.cleanup(); fs.rmSync(work, { recursive: true, force: true }); });

async function get(url, headers = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

function smoothTimes(manifest, type) {
  const index = manifest.match(new RegExp(`<StreamIndex[^>]*Type="${type}"[\\s\\S]*?</StreamIndex>`))[0];
  const times = [];
  let t = 0;
  for (const c of index.matchAll(/<c(?: t="(\d+)")? d="(\d+)"(?: r="(\d+)")? \/>/g)) {
    if (c[1] !== undefined) t = Number(c[1]);
    for (let i = 0; i < Number(c[3] || 1); ++i) { times.push([t, Number(c[2])]); t += Number(c[2]); }
  }
  const bitrates = [...index.matchAll(/<QualityLevel [^>]*Bitrate="(\d+)"/g)].map((m) => Number(m[1]));
  const url = index.match(/Url="([^"]+)"/)[1];
  return { times, bitrates, url, chunks: Number(index.match(/Chunks="(\d+)"/)[1]) };
}

test('Smooth: manifest and fragments agree, box by box', async () => {
  const r = await get(`${base}/Manifest`);  // the keyword matches without case
  assert.strictEqual(r.status, 200);
  assert.match(r.headers.get('content-type'), /xml/);
  const manifest = r.body.toString();
  assert.match(manifest, /MajorVersion="2" MinorVersion="2"/);
  for (const type of ['video', 'audio']) {
    const s = smoothTimes(manifest, type);
    assert.strictEqual(s.times.length, s.chunks);
    for (const bitrate of s.bitrates) {
      let expected = 0;
      for (const [t, d] of s.times) {
        const url = `${base}/${s.url.replace('{bitrate}', bitrate).replace('{start time}', t)}`;
        const f = await get(url);
        assert.strictEqual(f.status, 200, url);
        const frag = parseFragment(f.body);
        assert.strictEqual(frag.baseDecodeTime, t, 'tfdt is the manifest time');
        assert.strictEqual(frag.baseDecodeTime, expected, 'tfdt continues the previous fragment');
        assert.deepStrictEqual(frag.tfxd, { time: t, duration: d });
        const sum = frag.samples.reduce((a, s2) => a + s2.duration, 0);
        assert.strictEqual(sum, d, 'sample durations sum to the manifest duration');
        if (type === 'video') assert.strictEqual(frag.samples[0].flags, 0x02000000, 'starts with a sync sample');
        assert.strictEqual(frag.dataOffset, frag.moofSize + 8);
        assert.strictEqual(frag.mdatSize - 8, frag.samples.reduce((a, s2) => a + s2.size, 0));
        expected = t + d;
      }
    }
  }
  // The encoder's .ismc is the very document the origin serves.
  const ismc = await get(`${pub.origin.Path}${pub.ism}c`);
  assert.strictEqual(ismc.status, 200);
  assert.strictEqual(ismc.body.toString(), manifest);
  const legacy = (await get(`${base}/manifest(format=fmp4-v20)`)).body.toString();
  assert.match(legacy, /MinorVersion="0"/);
  assert.match(legacy, /<c n="0" d="\d+" \/>/);
});

test('DASH: the MPD is valid against the schema and its timeline matches the segments', async () => {
  for (const format of ['mpd-time-csf', 'mpd-time-cmaf']) {
    const r = await get(`${base}/manifest(format=${format})`);
    assert.strictEqual(r.status, 200);
    assert.strictEqual(r.headers.get('content-type'), 'application/dash+xml');
    const file = path.join(work, `${format}.mpd`);
    fs.writeFileSync(file, r.body);
    const lint = spawnSync('xmllint', ['--noout', '--schema', SCHEMA, file], { encoding: 'utf8' });
    assert.strictEqual(lint.status, 0, lint.stderr);
    const mpd = r.body.toString();
    for (const set of mpd.matchAll(/<AdaptationSet[\s\S]*?<\/AdaptationSet>/g)) {
      const text = set[0];
      const media = text.match(/media="([^"]+)"/)[1];
      const init = text.match(/initialization="([^"]+)"/)[1];
      const bandwidth = text.match(/bandwidth="(\d+)"/)[1];
      const initSeg = await get(`${base}/${init.replace('$Bandwidth$', bandwidth)}`);
      assert.strictEqual(initSeg.status, 200);
      assert.deepStrictEqual(boxes(initSeg.body).map((b) => b.type), ['ftyp', 'moov']);
      const timescale = initTimescale(initSeg.body);
      let t = 0, expectedDecode = 0;
      for (const s of text.matchAll(/<S(?: t="(\d+)")? d="(\d+)"(?: r="(\d+)")? \/>/g)) {
        if (s[1] !== undefined) t = Number(s[1]);
        for (let i = 0; i <= Number(s[3] || 0); ++i) {
          const seg = await get(`${base}/${media.replace('$Bandwidth$', bandwidth).replace('$Time$', t)}`);
          assert.strictEqual(seg.status, 200);
          const frag = parseFragment(seg.body);
          assert.strictEqual(frag.baseDecodeTime, expectedDecode);
          assert.strictEqual(Math.round(frag.baseDecodeTime * 1e7 / timescale), t);
          expectedDecode += frag.samples.reduce((a, x) => a + x.duration, 0);
          assert.ok(Math.abs(expectedDecode * 1e7 / timescale - (t + Number(s[2]))) <= 1);
          t += Number(s[2]);
        }
      }
    }
  }
});

test('HLS: strict-valid playlists, no deprecated tags, measured bandwidth, EXTINF within target', async () => {
  HLS.setOptions({ strictMode: true });
  for (const format of ['m3u8-aapl', 'm3u8-cmaf']) {
    const master = await get(`${base}/manifest(format=${format})`);
    assert.strictEqual(master.headers.get('content-type'), 'application/vnd.apple.mpegurl');
    const text = master.body.toString();
    assert.doesNotMatch(text, /PROGRAM-ID|EXT-X-ALLOW-CACHE/);
    const playlist = HLS.parse(text);
    assert.strictEqual(playlist.variants.length, 3);
    for (const v of playlist.variants) {
      assert.ok(v.bandwidth >= v.averageBandwidth, 'peak at least the average');
      assert.match(v.codecs, /^avc1\.[0-9a-f]{6},mp4a\.40\.2$/);
      assert.strictEqual(v.audio.length, 1);
      const media = HLS.parse((await get(`${base}/${v.uri}`)).body.toString());
      assert.strictEqual(media.playlistType, 'VOD');
      assert.ok(media.endlist);
      for (const s of media.segments) assert.ok(Math.round(s.duration) <= media.targetDuration);
      const total = media.segments.reduce((a, s) => a + s.duration, 0);
      assert.ok(Math.abs(total - 7) < 0.1, `video lasts ${total} s`);
      const mapUrl = new URL(media.segments[0].map.uri, `${base}/${v.uri}`).href;
      assert.strictEqual((await get(mapUrl)).status, 200);
    }
  }
});

test('ffmpeg decodes HLS and DASH to the full duration', () => {
  for (const format of ['m3u8-aapl', 'mpd-time-csf', 'm3u8-cmaf', 'mpd-time-cmaf']) {
    const args = ['-v', 'error',
      '-i', `${base}/manifest(format=${format})`, '-map', '0:v:0', '-map', '0:a:0', '-f', 'null', '-'];
    const r = spawnSync('ffmpeg', ['-nostdin', '-stats', ...args], { encoding: 'utf8' });
    assert.strictEqual(r.status, 0, `${format}: ${r.stderr}`);
    const time = [...r.stderr.matchAll(/time=(\d+):(\d+):(\d+\.\d+)/g)].pop();
    const seconds = Number(time[1]) * 3600 + Number(time[2]) * 60 + Number(time[3]);
    assert.ok(seconds > 6.8 && seconds < 7.2, `${format} decoded ${seconds} s`);
  }
});

test('HTTP: Range, HEAD, CORS, ETag and 304, cache lifetimes, progressive download', async () => {
  const url = `${base}/manifest(format=mpd-time-csf)`;
  const full = await get(url);
  assert.strictEqual(full.headers.get('access-control-allow-origin'), '*');
  assert.match(full.headers.get('cache-control'), /max-age=2\b/);
  const etag = full.headers.get('etag');
  assert.match(etag, /^"[0-9a-f]{32}"$/);
  assert.strictEqual((await get(url, { 'If-None-Match': etag })).status, 304);
  const part = await get(url, { Range: 'bytes=10-19' });
  assert.strictEqual(part.status, 206);
  assert.strictEqual(part.headers.get('content-range'), `bytes 10-19/${full.body.length}`);
  assert.deepStrictEqual(part.body, full.body.subarray(10, 20));
  assert.strictEqual((await get(url, { Range: `bytes=${full.body.length}-` })).status, 416);
  const head = await fetch(url, { method: 'HEAD' });
  assert.strictEqual(Number(head.headers.get('content-length')), full.body.length);
  const preflight = await fetch(url, { method: 'OPTIONS', headers: { Origin: 'http://player.example', 'Access-Control-Request-Method': 'GET' } });
  assert.strictEqual(preflight.status, 204);
  assert.match(preflight.headers.get('access-control-allow-headers'), /Range/);

  // A segment ranged across the header/sample boundary.
  const mpd = full.body.toString();
  const bw = mpd.match(/bandwidth="(\d+)"/)[1];
  const seg = `${base}/QualityLevels(${bw})/Fragments(video=20000000,format=mpd-time-csf)`;
  const whole = await get(seg);
  assert.match(whole.headers.get('cache-control'), /max-age=31536000/);
  const slice = await get(seg, { Range: 'bytes=100-5099' });
  assert.deepStrictEqual(slice.body, whole.body.subarray(100, 5100));

  const mp4 = pub.files.find((f) => f.Name.endsWith('_AAC_128.mp4'));
  const progressive = await get(`${pub.origin.Path}${mp4.Name}`, { Range: 'bytes=0-7' });
  assert.strictEqual(progressive.status, 206);
  assert.strictEqual(progressive.body.toString('latin1', 4, 8), 'ftyp');
});

test('refusals: unknown format, fragment or stream, not a locator, POST', async () => {
  const cases = [
    [`${base}/manifest(format=m3u8-bogus)`, 400, /format/],
    [`${base}/QualityLevels(1)/Fragments(video=0)`, 404, /no stream/],
    [`${base}/manifest(format=mpd-time-csf)`.replace(pub.origin.Id.slice(12), '00000000-0000-0000-0000-000000000000'), 404, /no live origin locator/],
    [`${pub.origin.Path.replace(/[0-9a-f-]{36}\/$/, 'not-a-guid/')}${pub.ism}/manifest`, 404, /not a locator/],
    [`${pub.origin.Path}missing.mp4`, 404, /no file/],
    [`${pub.origin.Path}nothing.ism/manifest`, 404, /no file/],
  ];
  const mpd = (await get(`${base}/manifest(format=mpd-time-csf)`)).body.toString();
  const bw = mpd.match(/bandwidth="(\d+)"/)[1];
  cases.push([`${base}/QualityLevels(${bw})/Fragments(video=12345,format=mpd-time-csf)`, 404, /no fragment/]);
  for (const [url, status, pattern] of cases) {
    const r = await get(url);
    assert.strictEqual(r.status, status, url);
    assert.match(r.body.toString(), pattern, url);
  }
  assert.strictEqual((await fetch(`${base}/manifest`, { method: 'POST' })).status, 405);
});

test('a locator serves only in its window: future start 404, deletion stops serving within a second', async () => {
  const policy = await client.create('AccessPolicies', { Name: 'later', DurationInMinutes: 60, Permissions: 1 });
  const later = await client.create('Locators', {
    AccessPolicyId: policy.Id, AssetId: pub.output.Id, Type: 2, StartTime: new Date(Date.now() + 3600000).toISOString(),
  });
  assert.strictEqual((await get(`${later.Path}${pub.ism}/manifest`)).status, 404);
  const now = await client.create('Locators', { AccessPolicyId: policy.Id, AssetId: pub.output.Id, Type: 2 });
  assert.strictEqual((await get(`${now.Path}${pub.ism}/manifest`)).status, 200);
  assert.strictEqual((await client.call('DELETE', `Locators${key(now.Id)}`)).status, 204);
  await new Promise((r) => setTimeout(r, 1000));
  assert.strictEqual((await get(`${now.Path}${pub.ism}/manifest`)).status, 404);
});
