// The failover walkthrough's Media Services REST sequence, against two data center processes:
// upload and encode in A, publish in A, replicate the output into B with a server-side blob copy
// and CreateFileInfos, and publish in B under the same locator Id.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ContainerClient } = require('@azure/storage-blob');
const { TwinServer, DEV_KEY, KEY_B } = require('./lib/server');
const { MediaClient, key, dotnetGeneral, makeClip, waitForJob } = require('./lib/media');

const MEDIA_KEY_A = 'media-key-of-account-a-0123456789';
const MEDIA_KEY_B = 'media-key-of-account-b-9876543210';
const TASK_BODY = '<?xml version="1.0" encoding="utf-8"?><taskBody><inputAsset>JobInputAsset(0)</inputAsset>' +
  '<outputAsset assetCreationOptions="0" assetName="clip-encoded">JobOutputAsset(0)</outputAsset></taskBody>';

let dcA, dcB, work;
test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-walk-'));
  makeClip(path.join(work, 'clip.mp4'));
  dcA = await new TwinServer({
    accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: `${MEDIA_KEY_A}:storea` },
    streamingBase: 'http://origin-a.example:8800',
  }).start();
  dcB = await new TwinServer({
    accounts: { storeb: KEY_B }, mediaAccounts: { mediab: `${MEDIA_KEY_B}:storeb` },
    streamingBase: 'http://origin-b.example:8800',
  }).start();
});
test.after(async () => {
  for (const dc of [dcA, dcB]) { await dc?.stop(); dc?.cleanup(); }
  fs.rmSync(work, { recursive: true, force: true });
});

async function connect(dc, account, mediaKey) {
  const client = new MediaClient(dc.mediaUrl, account, mediaKey);
  const res = await client.token();
  assert.strictEqual(res.status, 200);
  assert.strictEqual(typeof client.tokenResponse.expires_in, 'string');
  assert.strictEqual(client.tokenResponse.expires_in, '21600');
  assert.strictEqual(client.tokenResponse.scope, 'urn:WindowsAzureMediaServices');
  const redirect = await client.discover();
  assert.strictEqual(redirect.status, 301);
  assert.strictEqual(client.base, `${dc.mediaUrl}/${account}/api/`);
  return client;
}

async function sasLocator(client, assetId, permissions, name) {
  const policy = await client.create('AccessPolicies', { Name: name, DurationInMinutes: '300', Permissions: String(permissions) });
  const start = dotnetGeneral(new Date(Date.now() - 5 * 60000));
  return client.create('Locators', { AccessPolicyId: policy.Id, AssetId: assetId, StartTime: start, Type: '1' });
}

async function originLocator(client, assetId, id) {
  const policy = await client.create('AccessPolicies', { Name: 'stream', DurationInMinutes: 43200, Permissions: 1 });
  const body = { AccessPolicyId: policy.Id, AssetId: assetId, StartTime: new Date(Date.now() - 10 * 60000).toISOString(), Type: 2 };
  if (id) body.Id = id;
  return client.call('POST', 'Locators', body);
}

test('the walkthrough: encode and publish in A, replicate and publish in B under the same Id', async () => {
  const a = await connect(dcA, 'mediaa', MEDIA_KEY_A);

  // Upload the mezzanine through a write SAS locator.
  const asset = await a.create('Assets', { Name: 'clip.mp4', Options: '0' });
  assert.match(asset.Id, /^nb:cid:UUID:[0-9a-f-]{36}$/);
  assert.ok(asset.Uri.endsWith(`/storea/asset-${asset.Id.slice(12)}`), asset.Uri);
  assert.strictEqual(asset.__metadata.type, 'Microsoft.Cloud.Media.Vod.Rest.Data.Models.Asset');
  assert.ok(asset.Files.__deferred.uri.endsWith(`/Assets${key(asset.Id)}/Files`));
  assert.match(asset.Created, /^\/Date\(\d+\)\/$/);
  const file = await a.create('Files', {
    IsEncrypted: 'false', IsPrimary: 'false', MimeType: 'video/mp4', Name: 'clip.mp4', ParentAssetId: asset.Id,
  });
  assert.strictEqual(file.ContentFileSize, '0');
  const write = await sasLocator(a, asset.Id, 2, 'upload');
  assert.match(write.Path, /\?sv=.*&sr=c&si=.*&sig=/);
  const upload = new ContainerClient(write.Path).getBlockBlobClient('clip.mp4');
  await upload.uploadFile(path.join(work, 'clip.mp4'));
  const size = fs.statSync(path.join(work, 'clip.mp4')).size;
  let r = await a.call('MERGE', `Files${key(file.Id)}`, { ContentFileSize: String(size) });
  assert.strictEqual(r.status, 204);
  assert.strictEqual((await a.get(`Files${key(file.Id)}`)).ContentFileSize, String(size));
  r = await a.call('DELETE', `Locators${key(write.Id)}`);
  assert.strictEqual(r.status, 204);
  await assert.rejects(upload.uploadFile(path.join(work, 'clip.mp4')), (e) => e.statusCode === 403);

  // Encode with the latest Media Encoder Standard.
  const processors = await a.get("MediaProcessors()?$filter=Name%20eq%20'Media%20Encoder%20Standard'");
  const latest = processors.sort((x, y) => Number(y.Version) - Number(x.Version))[0];
  assert.strictEqual(latest.Id, 'nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56');
  const job = await a.create('Jobs', {
    Name: 'encode clip',
    InputMediaAssets: [{ __metadata: { uri: `${a.base}Assets${key(asset.Id)}` } }],
    Tasks: [{ Configuration: 'H264 Multiple Bitrate 720p', MediaProcessorId: latest.Id, TaskBody: TASK_BODY }],
  });
  assert.strictEqual(job.State, 0);
  assert.ok(job.Tasks.__deferred.uri.endsWith('/Tasks'));
  const done = await waitForJob(a, job.Id);
  assert.strictEqual(done.State, 3, JSON.stringify(done));
  assert.match(done.EndTime, /^\/Date\(\d+\)\/$/);
  const [task] = await a.get(`Jobs${key(job.Id)}/Tasks`);
  assert.strictEqual(task.Progress, 100);
  assert.deepStrictEqual(task.ErrorDetails.results, []);
  const [output] = await a.get(`Jobs${key(job.Id)}/OutputMediaAssets`);
  assert.strictEqual(output.Name, 'clip-encoded');
  const outFiles = await a.get(`Assets${key(output.Id)}/Files`);
  const names = outFiles.map((f) => f.Name).sort();
  assert.deepStrictEqual(names, ['clip.ism', 'clip.ismc', 'clip_320x180_400.mp4', 'clip_640x360_1000.mp4',
    'clip_640x360_650.mp4', 'clip_AAC_128.mp4']);
  const ism = outFiles.find((f) => f.Name === 'clip.ism');
  assert.strictEqual((await a.call('MERGE', `Files${key(ism.Id)}`, { IsPrimary: true })).status, 204);
  const ismc = outFiles.find((f) => f.Name === 'clip.ismc');
  assert.strictEqual((await a.call('MERGE', `Files${key(ismc.Id)}`, { IsPrimary: true })).status, 409);

  // Publish in A: a read SAS locator (the copy source) and an origin locator.
  const read = await sasLocator(a, output.Id, 1, 'read');
  r = await originLocator(a, output.Id);
  assert.strictEqual(r.status, 201, r.text);
  const originA = r.body.d;
  assert.strictEqual(originA.Path, `http://origin-a.example:8800/${originA.Id.slice(12)}/`);
  assert.strictEqual(r.headers.get('location'), `${a.base}Locators${key(originA.Id)}`);

  // Replicate into B: an empty asset, a write SAS locator, server-side copies, CreateFileInfos.
  const b = await connect(dcB, 'mediab', MEDIA_KEY_B);
  const target = await b.create('Assets', { Name: 'clip-encoded' });
  // Read as well as write: the SDK's copy poller reads the target's properties.
  const targetSas = await sasLocator(b, target.Id, 3, 'copy');
  const targetContainer = new ContainerClient(targetSas.Path);
  for (const f of outFiles) {
    const source = `${read.BaseUri}/${f.Name}${read.ContentAccessComponent}`;
    const poller = await targetContainer.getBlockBlobClient(f.Name).beginCopyFromURL(source, { intervalInMs: 100 });
    const result = await poller.pollUntilDone();
    assert.strictEqual(result.copyStatus, 'success', f.Name);
  }
  r = await b.call('GET', `CreateFileInfos?assetid='${target.Id}'`);
  assert.strictEqual(r.status, 204, r.text);
  const copied = await b.get(`Assets${key(target.Id)}/Files`);
  const sizes = (list) => Object.fromEntries(list.map((f) => [f.Name, f.ContentFileSize]));
  assert.deepStrictEqual(sizes(copied), sizes(outFiles));
  assert.strictEqual(copied.find((f) => f.Name === 'clip.ism').IsPrimary, true);

  r = await originLocator(b, target.Id, originA.Id);
  assert.strictEqual(r.status, 201, r.text);
  const originB = r.body.d;
  assert.strictEqual(originB.Id, originA.Id);
  assert.strictEqual(originB.Path.replace('origin-b.example', 'origin-a.example'), originA.Path);
  r = await originLocator(b, target.Id, originA.Id);
  assert.strictEqual(r.status, 409, r.text);
  assert.match(r.body.error.message.value, /already exists/);
  // The bare GUID form names the same locator.
  r = await originLocator(b, target.Id, originA.Id.slice(12));
  assert.strictEqual(r.status, 409);
});
