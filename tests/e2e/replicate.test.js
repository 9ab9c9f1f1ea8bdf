// `twinorigin replicate` between two data center processes, on an asset made by a real encode
// job: the walkthrough's steps over the public REST APIs, idempotent, resumable after a kill -9
// of itself or of B, and refusing what cannot be replicated with nothing left half-registered.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BlobServiceClient } = require('@azure/storage-blob');
const { TwinServer, DEV_KEY, KEY_B } = require('./lib/server');
const { key, makeClip, publishClip, connect } = require('./lib/media');
const { writeProfiles, start, run, waitForOutput } = require('./lib/twin_cli');

const MEDIA_KEY_A = 'media-key-of-account-a-0123456789';
const MEDIA_KEY_B = 'media-key-of-account-b-9876543210';

let dcA, dcB, work, profiles, a, b, published;
test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-replicate-'));
  makeClip(path.join(work, 'clip.mp4'), { seconds: 8 });
  dcA = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: `${MEDIA_KEY_A}:storea` } }).start();
  dcB = await new TwinServer({ accounts: { storeb: KEY_B }, mediaAccounts: { mediab: `${MEDIA_KEY_B}:storeb` } }).start();
  profiles = path.join(work, 'datacenters.toml');
  writeProfiles(profiles, {
    A: { server: dcA, media: ['mediaa', MEDIA_KEY_A], storage: ['storea', DEV_KEY] },
    B: { server: dcB, media: ['mediab', MEDIA_KEY_B], storage: ['storeb', KEY_B] },
  });
  a = await connect(dcA, 'mediaa', MEDIA_KEY_A);
  b = await connect(dcB, 'mediab', MEDIA_KEY_B);
  published = await publishClip(a, path.join(work, 'clip.mp4'));
});
test.after(async () => {
  for (const dc of [dcA, dcB]) { await dc?.stop(); dc?.cleanup(); }
  if (work) fs.rmSync(work, { recursive: true, force: true });
});


const replicate = (...args) => ['replicate', '--profiles', profiles, '--from', 'A', '--to', 'B', ...args];

// Everything B's media API holds, to show that a run changed nothing.
async function snapshotB() {
  const out = {};
  for (const set of ['Assets', 'Files', 'Locators', 'AccessPolicies']) out[set] = await b.get(set);
  return JSON.stringify(out);
}

async function bytes(url) {
  const res = await fetch(url);
  assert.strictEqual(res.status, 200, url);
  return Buffer.from(await res.arrayBuffer());
}

test('refusals: storage-encrypted, no blob behind a file, no primary .ism, an expired locator, bad profiles; nothing registered in B', async () => {
  const before = await snapshotB();
  const encrypted = await a.create('Assets', { Name: 'secret', Options: 1 });
  let r = await run(replicate('--asset', encrypted.Id));
  assert.strictEqual(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /refused: .*storage-encrypted \(Options=1\).*cannot be read out through a SAS locator/);

  // A published asset whose primary .ism has no blob.
  const hollow = await a.create('Assets', { Name: 'hollow' });
  const ism = await a.create('Files', { Name: 'hollow.ism', ParentAssetId: hollow.Id, IsPrimary: true, MimeType: 'application/octet-stream' });
  assert.ok(ism.Id);
  const policy = await a.create('AccessPolicies', { Name: 'stream', DurationInMinutes: 60, Permissions: 1 });
  const live = await a.create('Locators', { AccessPolicyId: policy.Id, AssetId: hollow.Id, Type: 2 });
  r = await run(replicate('--locator', live.Id));
  assert.strictEqual(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /refused: the file hollow\.ism of asset .* has no blob in A/);

  // A published asset whose .ism is not marked primary.
  const unmarked = await a.create('Assets', { Name: 'unmarked' });
  await a.create('Files', { Name: 'unmarked.ism', ParentAssetId: unmarked.Id, MimeType: 'application/octet-stream' });
  const live2 = await a.create('Locators', { AccessPolicyId: policy.Id, AssetId: unmarked.Id, Type: 2 });
  r = await run(replicate('--locator', live2.Id));
  assert.strictEqual(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /refused: asset .* has no primary \.ism file/);

  // An origin locator that expired (a policy of 0.01 minutes, started in the past).
  const short = await a.create('AccessPolicies', { Name: 'short', DurationInMinutes: 0.01, Permissions: 1 });
  const expired = await a.create('Locators', {
    AccessPolicyId: short.Id, AssetId: published.output.Id, Type: 2, StartTime: new Date(Date.now() - 60000).toISOString(),
  });
  r = await run(replicate('--locator', expired.Id));
  assert.strictEqual(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /refused: the origin locator .* has expired/);
  assert.strictEqual((await a.call('DELETE', `Locators${key(expired.Id)}`)).status, 204);

  r = await run(['replicate', '--profiles', path.join(work, 'missing.toml'), '--from', 'A', '--to', 'B', '--all']);
  assert.strictEqual(r.code, 1);
  assert.match(r.stderr, /missing\.toml: cannot read the data center profiles/);
  fs.writeFileSync(path.join(work, 'bad.toml'), '[datacenters.A]\nmedia_api = "http://x/api/"\nmedia_acount = "typo"\n');
  r = await run(['replicate', '--profiles', path.join(work, 'bad.toml'), '--from', 'A', '--to', 'B', '--all']);
  assert.strictEqual(r.code, 1);
  assert.match(r.stderr, /bad\.toml:3: datacenters\.A\.media_acount: unknown key/);

  assert.strictEqual(await snapshotB(), before, 'a refused run registered something in B');
  for (const set of ['Locators', 'AccessPolicies']) {
    const temporary = (await a.get(set)).filter((e) => /twinorigin-replicate/.test(e.Name ?? ''));
    assert.deepStrictEqual(temporary, [], `temporary ${set} left in A`);
  }
  await a.call('DELETE', `Assets${key(hollow.Id)}`);
  await a.call('DELETE', `Assets${key(unmarked.Id)}`);
  await a.call('DELETE', `Assets${key(encrypted.Id)}`);
});

test('kill -9 during the copies, then a rerun: one target asset, same bytes, same URLs but the host', async () => {
  const first = start(replicate('--asset', published.output.Id, '--parallel', '1'));
  await waitForOutput(first.proc, /copying \d+ blobs/);
  first.proc.kill('SIGKILL');
  assert.strictEqual((await first.done).signal, 'SIGKILL');

  const r = await run(replicate('--asset', published.output.Id, '--json'));
  assert.strictEqual(r.code, 0, r.stderr);
  const [result] = JSON.parse(r.stdout);
  assert.strictEqual(result.locator, published.origin.Id);
  assert.strictEqual(result.already_replicated, false);
  assert.strictEqual(result.url_a, `${dcA.streamingUrl}/${published.origin.Id.slice(12)}/${published.ism}/manifest`);
  assert.strictEqual(result.url_b, result.url_a.replace(dcA.streamingUrl, dcB.streamingUrl));

  const targets = (await b.get('Assets')).filter((x) => x.Name === published.output.Uri.split('/').pop());
  assert.strictEqual(targets.length, 1, 'one target asset');
  const locator = await b.get(`Locators${key(published.origin.Id)}`);
  assert.strictEqual(locator.AssetId, targets[0].Id);
  assert.strictEqual(locator.StartTime, published.origin.StartTime);
  assert.strictEqual(locator.ExpirationDateTime, published.origin.ExpirationDateTime);
  const files = (await b.get(`Assets${key(targets[0].Id)}/Files`)).map((f) => [f.Name, f.ContentFileSize, f.IsPrimary, f.MimeType]).sort();
  assert.deepStrictEqual(files, published.files.map((f) => [f.Name, f.ContentFileSize, f.Name === published.ism, f.MimeType]).sort());
  for (const format of ['', '(format=m3u8-aapl)', '(format=mpd-time-csf)'])
    assert.deepStrictEqual(await bytes(result.url_b + format), await bytes(result.url_a + format), format);
  for (const set of ['Locators', 'AccessPolicies'])
    for (const client of [a, b])
      assert.deepStrictEqual((await client.get(set)).filter((e) => /temporary/.test(e.Name ?? '')), [], `temporary ${set}`);
});

test('a second run says "already replicated" and changes nothing', async () => {
  const before = await snapshotB();
  const r = await run(replicate('--asset', published.output.Id));
  assert.strictEqual(r.code, 0, r.stderr);
  assert.match(r.stdout, /^already replicated: /m);
  assert.strictEqual(await snapshotB(), before);
});

test('verify compares blobs, files, locator and every streaming URL; a changed blob is a difference replicate repairs', async () => {
  let r = await run(['verify', '--profiles', profiles, '--from', 'A', '--to', 'B', '--asset', published.output.Id]);
  assert.strictEqual(r.code, 0, r.stdout + r.stderr);
  for (const item of ['locator', 'blobs', 'files', 'smooth', 'smooth \\(fmp4-v20\\)', 'hls \\(m3u8-aapl\\)',
    'hls \\(m3u8-cmaf\\)', 'dash \\(mpd-time-csf\\)', 'dash \\(mpd-time-cmaf\\)'])
    assert.match(r.stdout, new RegExp(`^  ${item} +same `, 'm'), item);
  // Every segment: 8 s at 2 s per segment, 3 video layers and audio, plus playlists and inits.
  const hls = Number(/^  hls \(m3u8-aapl\) +same +(\d+) URLs/m.exec(r.stdout)[1]);
  assert.strictEqual(hls, 1 + 4 * (1 + 1 + 4), r.stdout);
  assert.match(r.stdout, /^1 of 1 published assets replicated identically in B$/m);

  // The .ismc in B overwritten: the blobs differ, and so does Smooth.
  const target = (await b.get('Assets')).find((x) => x.Name === published.output.Uri.split('/').pop());
  const service = BlobServiceClient.fromConnectionString(dcB.connectionString('storeb'));
  const container = service.getContainerClient(target.Uri.split('/').pop());
  const ismc = published.files.find((f) => f.Name.endsWith('.ismc')).Name;
  const original = await container.getBlobClient(ismc).downloadToBuffer();
  await container.getBlockBlobClient(ismc).uploadData(Buffer.concat([original, Buffer.from(' ')]));
  r = await run(['verify', '--profiles', profiles, '--from', 'A', '--to', 'B', '--all']);
  assert.strictEqual(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, new RegExp(`^  blobs +DIFFERENT +${ismc.replace('.', '\\.')} size: `, 'm'));
  assert.match(r.stdout, /^0 of 1 published assets replicated identically in B$/m);

  r = await run(replicate('--asset', published.output.Id, '--json'));
  assert.strictEqual(r.code, 0, r.stderr);
  assert.deepStrictEqual(JSON.parse(r.stdout)[0].copied, [ismc]);
  r = await run(['verify', '--profiles', profiles, '--from', 'A', '--to', 'B', '--all']);
  assert.strictEqual(r.code, 0, r.stdout + r.stderr);
});

test('B killed in the middle of the copies, then restarted: a rerun completes', async () => {
  // Start over in B: the target asset and its locator go.
  const locator = await b.get(`Locators${key(published.origin.Id)}`);
  assert.strictEqual((await b.call('DELETE', `Locators${key(locator.Id)}`)).status, 204);
  assert.strictEqual((await b.call('DELETE', `Assets${key(locator.AssetId)}`)).status, 204);

  const first = start(replicate('--asset', published.output.Id, '--parallel', '1'));
  await waitForOutput(first.proc, /copying \d+ blobs/);
  await dcB.kill9();
  const failed = await first.done;
  assert.strictEqual(failed.code, 1, failed.stdout + failed.stderr);
  assert.match(failed.stderr, /could not be reached|answered/);
  await dcB.restart();
  b = await connect(dcB, 'mediab', MEDIA_KEY_B);

  const r = await run(replicate('--asset', published.output.Id, '--json'));
  assert.strictEqual(r.code, 0, r.stderr);
  const [result] = JSON.parse(r.stdout);
  assert.ok(result.copied.length + result.kept.length === published.files.length, r.stdout);
  const targets = (await b.get('Assets')).filter((x) => x.Name === published.output.Uri.split('/').pop());
  assert.strictEqual(targets.length, 1);
  for (const format of ['', '(format=m3u8-aapl)', '(format=mpd-time-csf)'])
    assert.deepStrictEqual(await bytes(result.url_b + format), await bytes(result.url_a + format), format);
});

test('--watch replicates a new origin locator and new files within two intervals, removes a deleted locator, and survives a restart of B', async () => {
  const interval = 1000;
  const watcher = start(replicate('--watch', '--interval', `${interval}ms`));
  const within = async (what, predicate, ms = 2 * interval + 2000) => {
    const deadline = Date.now() + ms;
    while (!(await predicate())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms\n${watcher.proc.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  const inB = async (id) => (await b.call('GET', `Locators${key(id)}`)).status === 200;
  try {
    await waitForOutput(watcher.proc, /watch_started/);
    const policy = await a.create('AccessPolicies', { Name: 'second', DurationInMinutes: 600, Permissions: 1 });
    const second = await a.create('Locators', { AccessPolicyId: policy.Id, AssetId: published.output.Id, Type: 2 });
    await within('the new locator in B', () => inB(second.Id));
    // The log line follows the change it reports.
    await waitForOutput(watcher.proc, new RegExp(`asset_replicated asset=${published.output.Id}.* locator=${second.Id}`), 5000);

    // A new file of the published asset.
    const service = BlobServiceClient.fromConnectionString(dcA.connectionString('storea'));
    await service.getContainerClient(published.output.Uri.split('/').pop()).getBlockBlobClient('notes.txt').uploadData(Buffer.from('added later'));
    assert.strictEqual((await a.call('GET', `CreateFileInfos?assetid='${encodeURIComponent(published.output.Id)}'`)).status, 204);
    const target = (await b.get(`Locators${key(second.Id)}`)).AssetId;
    await within('the new file in B', async () => (await b.get(`Assets${key(target)}/Files`)).some((f) => f.Name === 'notes.txt' && f.ContentFileSize === '11'));

    // B restarts; the watcher goes on.
    await dcB.kill9();
    await new Promise((r) => setTimeout(r, interval));
    await dcB.restart();
    b = await connect(dcB, 'mediab', MEDIA_KEY_B);
    assert.strictEqual((await a.call('DELETE', `Locators${key(second.Id)}`)).status, 204);
    await within('the deleted locator gone from B', async () => !(await inB(second.Id)));
    await waitForOutput(watcher.proc, new RegExp(`locator_removed locator=${second.Id}`), 5000);
    assert.ok(await inB(published.origin.Id), 'the first locator stays');
  } finally {
    watcher.proc.kill('SIGINT');
  }
  const exit = await watcher.done;
  assert.strictEqual(exit.code, 0, exit.stderr);
  assert.match(exit.stderr, /watch_stopped/);
  const r = await run(['verify', '--profiles', profiles, '--from', 'A', '--to', 'B', '--all']);
  assert.strictEqual(r.code, 0, r.stdout + r.stderr);
});
