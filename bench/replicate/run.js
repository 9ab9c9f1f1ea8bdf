// The timed part of bench/replicate/run.sh: two data centers, the walkthrough from upload to a
// manifest answering in B, and the copy against curl. Argument: the work directory holding
// mezzanine.mp4. run.sh times `twinorigin encode` alone around it and prints the ratio.
'use strict';
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ContainerClient } = require('@azure/storage-blob');
const e2e = path.join(__dirname, '../../tests/e2e/lib');
const { TwinServer, DEV_KEY, KEY_B } = require(path.join(e2e, 'server'));
const { key, waitForJob, connect } = require(path.join(e2e, 'media'));
const { writeProfiles, run } = require(path.join(e2e, 'twin_cli'));

const work = process.argv[2];
const MEDIA_A = 'bench-media-key-a';
const MEDIA_B = 'bench-media-key-b';
const ROUNDS = 5;
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];


async function main() {
  const dcA = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: `${MEDIA_A}:storea` } }).start();
  const dcB = await new TwinServer({ accounts: { storeb: KEY_B }, mediaAccounts: { mediab: `${MEDIA_B}:storeb` } }).start();
  try {
    const profiles = path.join(work, 'datacenters.toml');
    writeProfiles(profiles, {
      A: { server: dcA, media: ['mediaa', MEDIA_A], storage: ['storea', DEV_KEY] },
      B: { server: dcB, media: ['mediab', MEDIA_B], storage: ['storeb', KEY_B] },
    });
    const a = await connect(dcA, 'mediaa', MEDIA_A);
    const started = Date.now();
    const asset = await a.create('Assets', { Name: 'mezzanine.mp4' });
    const w = await a.create('AccessPolicies', { Name: 'upload', DurationInMinutes: 60, Permissions: 2 });
    const sas = await a.create('Locators', { AccessPolicyId: w.Id, AssetId: asset.Id, Type: 1 });
    await new ContainerClient(sas.Path).getBlockBlobClient('mezzanine.mp4').uploadFile(path.join(work, 'mezzanine.mp4'));
    await a.call('GET', `CreateFileInfos?assetid='${encodeURIComponent(asset.Id)}'`);
    const uploaded = Date.now();
    const job = await a.create('Jobs', {
      Name: 'bench', InputMediaAssets: [{ __metadata: { uri: `${a.base}Assets${key(asset.Id)}` } }],
      Tasks: [{ Configuration: 'H264 Multiple Bitrate 720p', MediaProcessorId: 'nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56',
        TaskBody: '<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset assetCreationOptions="0">JobOutputAsset(0)</outputAsset></taskBody>' }],
    });
    const done = await waitForJob(a, job.Id, 3600000);
    if (done.State !== 3) throw new Error(`encode failed: ${JSON.stringify(done)}`);
    const encoded = Date.now();
    const [output] = await a.get(`Jobs${key(job.Id)}/OutputMediaAssets`);
    const files = await a.get(`Assets${key(output.Id)}/Files`);
    const ism = files.find((f) => f.Name.endsWith('.ism'));
    await a.call('MERGE', `Files${key(ism.Id)}`, { IsPrimary: true });
    const policy = await a.create('AccessPolicies', { Name: 'stream', DurationInMinutes: 600, Permissions: 1 });
    await a.create('Locators', { AccessPolicyId: policy.Id, AssetId: output.Id, Type: 2, StartTime: new Date(Date.now() - 300000).toISOString() });
    const replicateStarted = Date.now();
    const r = await run(['replicate', '--profiles', profiles, '--from', 'A', '--to', 'B', '--asset', output.Id, '--json']);
    if (r.code !== 0) throw new Error(r.stderr);
    const [result] = JSON.parse(r.stdout);
    const replicated = Date.now();
    for (;;) {  // playable in B: its HLS master answers
      const res = await fetch(`${result.url_b}(format=m3u8-aapl)`);
      if (res.status === 200) break;
      await new Promise((res2) => setTimeout(res2, 20));
    }
    const playable = Date.now();
    const total = (playable - started) / 1000;
    const copySeconds = (replicated - replicateStarted) / 1000;
    const bytes = result.bytes_copied;

    // The copy against curl, in alternating rounds (one round of each varies by ±40% on this
    // machine with the page cache's writeback): B's replica is deleted and made again by
    // `replicate`, whose copy_seconds time the server-side copies alone; curl fetches the same
    // blobs from A through a read SAS, 4 at once, into fresh files (no fsync). Medians.
    const b = await connect(dcB, 'mediab', MEDIA_B);
    const read = await a.create('AccessPolicies', { Name: 'read', DurationInMinutes: 60, Permissions: 1 });
    const rsas = await a.create('Locators', { AccessPolicyId: read.Id, AssetId: output.Id, Type: 1 });
    const copyRounds = [result.copy_seconds], curlRounds = [];
    let target = result.target_asset;
    for (let round = 0; round < ROUNDS; ++round) {
      const dir = fs.mkdtempSync(path.join(work, 'curl-'));
      const args = ['-sS', '--fail', '--parallel', '--parallel-max', '4'];
      for (const f of files) args.push('-o', path.join(dir, f.Name), `${rsas.BaseUri}/${f.Name}${rsas.ContentAccessComponent}`);
      const curlStarted = process.hrtime.bigint();
      const c = spawnSync('curl', args, { encoding: 'utf8' });
      if (c.status !== 0) throw new Error(`curl: ${c.stderr}`);
      curlRounds.push(Number(process.hrtime.bigint() - curlStarted) / 1e9);
      fs.rmSync(dir, { recursive: true });
      if (round === ROUNDS - 1) break;
      await b.call('DELETE', `Assets${key(target)}`);
      const again = await run(['replicate', '--profiles', profiles, '--from', 'A', '--to', 'B', '--asset', output.Id, '--json']);
      if (again.code !== 0) throw new Error(again.stderr);
      const [redone] = JSON.parse(again.stdout);
      if (redone.bytes_copied !== bytes) throw new Error(`round ${round}: copied ${redone.bytes_copied} bytes, not ${bytes}`);
      copyRounds.push(redone.copy_seconds);
      target = redone.target_asset;
    }

    const mib = bytes / 1048576;
    console.log(`mezzanine to playable in A and B: ${total.toFixed(1)} s (upload ${((uploaded - started) / 1000).toFixed(1)} s, ` +
      `encode job ${((encoded - uploaded) / 1000).toFixed(1)} s, publish ${((replicateStarted - encoded) / 1000).toFixed(2)} s, ` +
      `replicate ${copySeconds.toFixed(2)} s, B answering ${((playable - replicated) / 1000).toFixed(2)} s)`);
    const copy = median(copyRounds), curl = median(curlRounds);
    const list = (xs) => xs.map((x) => x.toFixed(2)).join(' ');
    console.log(`copy of ${result.copied.length} blobs, ${mib.toFixed(1)} MiB, ${ROUNDS} rounds each: ` +
      `server-side Copy Blob median ${copy.toFixed(2)} s (${(mib / copy).toFixed(0)} MiB/s; ${list(copyRounds)}), ` +
      `curl median ${curl.toFixed(2)} s (${(mib / curl).toFixed(0)} MiB/s; ${list(curlRounds)}); ` +
      `copy/curl throughput ${(curl / copy).toFixed(2)}x (asked: at least 0.8x)`);
  } finally {
    for (const dc of [dcA, dcB]) { await dc.stop(); dc.cleanup(); }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
