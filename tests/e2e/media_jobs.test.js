// Jobs over time: a job that was processing when the server was killed runs again after the
// restart and finishes; a running job is canceled within seconds; deleting an asset removes its
// locators and container (or keeps the container when asked).
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ContainerClient, BlobServiceClient } = require('@azure/storage-blob');
const { TwinServer, DEV_KEY } = require('./lib/server');
const { MediaClient, key, makeClip, waitForJob } = require('./lib/media');

const MEDIA_KEY = 'jobs-media-account-key-0000000000';
const ENCODER = 'nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56';
let dc, a, work;

test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-jobs-'));
  makeClip(path.join(work, 'long.mp4'), { seconds: 30 });
  dc = await new TwinServer({
    accounts: { storea: DEV_KEY }, mediaAccounts: { mediajobs: `${MEDIA_KEY}:storea` }, jobWorkers: 1,
  }).start();
  a = await connect();
});
test.after(async () => { await dc?.stop(); dc?.cleanup(); fs.rmSync(work, { recursive: true, force: true }); });

async function connect() {
  const c = new MediaClient(dc.mediaUrl, 'mediajobs', MEDIA_KEY);
  await c.token();
  await c.discover();
  return c;
}

async function uploadedAsset(name) {
  const asset = await a.create('Assets', { Name: name });
  const w = await a.create('AccessPolicies', { Name: 'w', DurationInMinutes: 60, Permissions: 2 });
  const sas = await a.create('Locators', { AccessPolicyId: w.Id, AssetId: asset.Id, Type: 1 });
  await new ContainerClient(sas.Path).getBlockBlobClient(name).uploadFile(path.join(work, 'long.mp4'));
  assert.strictEqual((await a.call('POST', `CreateFileInfos?assetid='${asset.Id}'`)).status, 204);
  return asset;
}

async function submit(asset, priority = 0) {
  return a.create('Jobs', {
    Name: 'long', Priority: priority, InputMediaAssets: [{ __metadata: { uri: `${a.base}Assets${key(asset.Id)}` } }],
    Tasks: [{ Configuration: 'H264 Multiple Bitrate 720p', MediaProcessorId: ENCODER,
      TaskBody: '<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset assetCreationOptions="0">JobOutputAsset(0)</outputAsset></taskBody>' }],
  });
}

async function waitForProgress(jobId) {
  for (let i = 0; i < 600; ++i) {
    const [task] = await a.get(`Jobs${key(jobId)}/Tasks`);
    if (task.State === 2 && task.Progress > 0) return task;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the job never started processing');
}

test('a job processing when the server is killed is re-queued at restart and finishes', async () => {
  const asset = await uploadedAsset('long.mp4');
  const job = await submit(asset);
  await waitForProgress(job.Id);
  await dc.kill9();
  await dc.restart();
  a = await connect();
  await new Promise((r) => setTimeout(r, 100));
  assert.match(dc.stderr, /job requeued after restart/);
  const done = await waitForJob(a, job.Id, 240000);
  assert.strictEqual(done.State, 3);
  const [output] = await a.get(`Jobs${key(job.Id)}/OutputMediaAssets`);
  const names = (await a.get(`Assets${key(output.Id)}/Files`)).map((f) => f.Name);
  assert.strictEqual(names.length, new Set(names).size, 'no file registered twice');
  assert.ok(names.includes('long.ism') && names.includes('long_AAC_128.mp4'), names.join());
});

test('CancelJob stops a running encode within seconds', async () => {
  const asset = await uploadedAsset('cancel.mp4');
  const job = await submit(asset);
  await waitForProgress(job.Id);
  const started = Date.now();
  const r = await a.call('GET', `CancelJob?jobid='${encodeURIComponent(job.Id)}'`);
  assert.strictEqual(r.status, 204, r.text);
  const ended = await waitForJob(a, job.Id, 10000);
  assert.strictEqual(ended.State, 5);
  assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  const [output] = await a.get(`Jobs${key(job.Id)}/OutputMediaAssets`);
  assert.deepStrictEqual(await a.get(`Assets${key(output.Id)}/Files`), []);
});

test('with one worker, the queued job of higher Priority runs first', async () => {
  const asset = await uploadedAsset('priority.mp4');
  const running = await submit(asset);
  await waitForProgress(running.Id);
  const low = await submit(asset, 0);
  const high = await submit(asset, 10);
  assert.strictEqual(high.Priority, 10);
  assert.strictEqual((await a.call('GET', `CancelJob?jobid='${encodeURIComponent(running.Id)}'`)).status, 204);
  await waitForProgress(high.Id);
  assert.strictEqual((await a.get(`Jobs${key(low.Id)}`)).State, 0, 'the lower priority job waits');
  for (const job of [high, low]) {
    assert.strictEqual((await a.call('GET', `CancelJob?jobid='${encodeURIComponent(job.Id)}'`)).status, 204);
    assert.strictEqual((await waitForJob(a, job.Id, 10000)).State, 5);
  }
});

test('deleting an asset removes its locators and its container unless keepcontainer=true', async () => {
  const service = BlobServiceClient.fromConnectionString(dc.connectionString('storea'));
  for (const keep of [false, true]) {
    const asset = await a.create('Assets', { Name: `delete-${keep}` });
    const p = await a.create('AccessPolicies', { Name: 'r', DurationInMinutes: 60, Permissions: 1 });
    const locator = await a.create('Locators', { AccessPolicyId: p.Id, AssetId: asset.Id, Type: 2 });
    const container = service.getContainerClient(`asset-${asset.Id.slice(12)}`);
    assert.strictEqual(await container.exists(), true);
    const r = await a.call('DELETE', `Assets${key(asset.Id)}${keep ? '?keepcontainer=true' : ''}`);
    assert.strictEqual(r.status, 204, r.text);
    assert.strictEqual((await a.call('GET', `Locators${key(locator.Id)}`)).status, 404);
    assert.strictEqual((await a.call('GET', `Assets${key(asset.Id)}`)).status, 404);
    assert.strictEqual(await container.exists(), keep);
  }
});
