// Any GOP-aligned MP4 set can be published, also one made by another encoder and described by a
// hand-written .ism (no params, an interleaved file serving both video and audio); what cannot
// be packaged is refused with a reason.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ContainerClient } = require('@azure/storage-blob');
const { TwinServer, DEV_KEY } = require('./lib/server');
const { MediaClient } = require('./lib/media');

const MEDIA_KEY = 'handwritten-media-account-key-000';
let dc, client, work;

function ffmpeg(out, size, gop, audio) {
  const args = ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', `testsrc2=size=${size}:rate=25:duration=6`];
  if (audio) args.push('-f', 'lavfi', '-i', 'sine=frequency=330:sample_rate=44100:duration=6');
  args.push('-c:v', 'libx264', '-preset', 'veryfast', '-g', String(gop), '-keyint_min', String(gop), '-sc_threshold', '0',
    '-bf', '2', '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-shortest');
  args.push(path.join(work, out));
  const r = spawnSync('ffmpeg', args);
  assert.strictEqual(r.status, 0, String(r.stderr));
}

test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-hand-'));
  ffmpeg('big.mp4', '640x360', 50, true);   // video and audio interleaved, moov at the end
  ffmpeg('small.mp4', '320x180', 50, false);
  ffmpeg('odd.mp4', '320x180', 37, false);  // keyframes elsewhere
  dc = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: `${MEDIA_KEY}:storea` } }).start();
  client = new MediaClient(dc.mediaUrl, 'mediaa', MEDIA_KEY);
  await client.token();
  await client.discover();
});
test.after(async () => { await dc?.stop(); dc?.cleanup(); fs.rmSync(work, { recursive: true, force: true }); });

const ism = (entries) => `<?xml version="1.0" encoding="utf-8"?>
<smil xmlns="http://www.w3.org/2001/SMIL20/Language"><head><meta name="formats" content="mp4" /></head>
<body><switch>${entries}</switch></body></smil>`;

async function publish(files, ismText) {
  const asset = await client.create('Assets', { Name: 'hand' });
  const w = await client.create('AccessPolicies', { Name: 'w', DurationInMinutes: 60, Permissions: 2 });
  const sas = await client.create('Locators', { AccessPolicyId: w.Id, AssetId: asset.Id, Type: 1 });
  const container = new ContainerClient(sas.Path);
  for (const f of files) await container.getBlockBlobClient(f).uploadFile(path.join(work, f));
  await container.getBlockBlobClient('hand.ism').upload(ismText, Buffer.byteLength(ismText));
  await client.call('GET', `CreateFileInfos?assetid='${encodeURIComponent(asset.Id)}'`);
  const r = await client.create('AccessPolicies', { Name: 'r', DurationInMinutes: 60, Permissions: 1 });
  const origin = await client.create('Locators', { AccessPolicyId: r.Id, AssetId: asset.Id, Type: 2 });
  return `${origin.Path}hand.ism`;
}

test('a hand-written .ism over ffmpeg-made files streams in every format', async () => {
  const base = await publish(['big.mp4', 'small.mp4'],
    ism('<video src="big.mp4" /><video src="small.mp4" /><audio src="big.mp4" />'));
  for (const format of ['', '(format=m3u8-aapl)', '(format=mpd-time-csf)']) {
    const res = await fetch(`${base}/manifest${format}`);
    assert.strictEqual(res.status, 200, await res.text());
  }
  const smooth = await (await fetch(`${base}/manifest`)).text();
  assert.match(smooth, /QualityLevels="2"/);
  assert.match(smooth, /SamplingRate="44100"/);
  const r = spawnSync('ffmpeg', ['-nostdin', '-v', 'error', '-stats', '-i',
    `${base}/manifest(format=m3u8-aapl)`, '-map', '0:v:0', '-map', '0:a:0', '-f', 'null', '-'], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, r.stderr);
  const time = [...r.stderr.matchAll(/time=(\d+):(\d+):(\d+\.\d+)/g)].pop();
  assert.ok(Math.abs(Number(time[3]) - 6) < 0.2, r.stderr);
});

test('layers that are not GOP-aligned, or files that are not MP4s, are refused with a reason', async () => {
  let base = await publish(['big.mp4', 'odd.mp4'], ism('<video src="big.mp4" /><video src="odd.mp4" />'));
  let res = await fetch(`${base}/manifest`);
  assert.strictEqual(res.status, 415);
  assert.match(await res.text(), /odd\.mp4.*not GOP-aligned/);
  fs.writeFileSync(path.join(work, 'text.mp4'), 'not a movie at all');
  base = await publish(['text.mp4'], ism('<video src="text.mp4" />'));
  res = await fetch(`${base}/manifest(format=mpd-time-csf)`);
  assert.strictEqual(res.status, 415);
  assert.match(await res.text(), /text\.mp4 cannot be read as an MP4/);
  base = await publish([], 'this is not XML');
  res = await fetch(`${base}/manifest`);
  assert.strictEqual(res.status, 415);
  assert.match(await res.text(), /not an XML server manifest/);
  await new Promise((r) => setTimeout(r, 100));
  assert.match(dc.stderr, /svc=streaming .*status=415 .*cause=/);
});
