// What the media API refuses, each with the OData error shape and the right status, and the
// minimal-metadata JSON form; the server keeps serving afterwards.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { ContainerClient } = require('@azure/storage-blob');
const { TwinServer, DEV_KEY } = require('./lib/server');
const { MediaClient, key, waitForJob } = require('./lib/media');

const KEY_1 = 'first-media-account-key-000000000';
const KEY_2 = 'second-media-account-key-11111111';
let dc, a, other;

test.before(async () => {
  dc = await new TwinServer({
    accounts: { storea: DEV_KEY },
    mediaAccounts: { mediaone: `${KEY_1}:storea`, mediatwo: `${KEY_2}:storea` },
  }).start();
  a = new MediaClient(dc.mediaUrl, 'mediaone', KEY_1);
  await a.token();
  await a.discover();
  other = new MediaClient(dc.mediaUrl, 'mediatwo', KEY_2);
  await other.token();
  await other.discover();
});
test.after(async () => { await dc?.stop(); dc?.cleanup(); });

function odataError(r, status, pattern) {
  assert.strictEqual(r.status, status, r.text);
  const error = r.body.error ?? r.body['odata.error'];
  assert.ok(error, r.text);
  assert.strictEqual(error.message.lang, 'en-US');
  assert.match(error.message.value, pattern);
}

test('tokens: a wrong secret, a tampered token and another account\'s token get 401', async () => {
  const wrong = new MediaClient(dc.mediaUrl, 'mediaone', 'not-the-key-000000000000');
  const res = await wrong.token();
  assert.strictEqual(res.status, 401);
  assert.strictEqual(wrong.tokenResponse.error, 'invalid_client');

  const tampered = new MediaClient(dc.mediaUrl, 'mediaone', KEY_1);
  tampered.base = a.base;
  tampered.accessToken = a.accessToken.replace('mediaone', 'mediatwo');
  odataError(await tampered.call('GET', 'Assets'), 401, /tampered|expired|malformed/);
  tampered.accessToken = a.accessToken.slice(0, -6) + 'AAAA%3D';
  odataError(await tampered.call('GET', 'Assets'), 401, /tampered|expired|malformed/);

  const crossed = new MediaClient(dc.mediaUrl, 'mediaone', KEY_1);
  crossed.base = a.base;
  crossed.accessToken = other.accessToken;
  odataError(await crossed.call('GET', 'Assets'), 401, /another account/);
  const none = await fetch(`${a.base}Assets`, { headers: { 'x-ms-version': '2.19' } });
  assert.strictEqual(none.status, 401);
  await new Promise((r) => setTimeout(r, 100));  // log lines are written in 10 ms batches
  assert.match(dc.stderr, /status=401.*cause="?The access token/);
});

test('requests: missing x-ms-version, bad JSON, unknown properties and entities', async () => {
  const res = await fetch(`${a.base}Assets`, { headers: { Authorization: `Bearer ${a.accessToken}` } });
  assert.strictEqual(res.status, 400);
  assert.match(await res.text(), /x-ms-version/);
  odataError(await a.call('GET', `Assets${key('nb:cid:UUID:00000000-0000-0000-0000-000000000000')}`), 404, /No Asset/);
  odataError(await a.call('GET', 'Widgets'), 404, /Resource not found/);
  odataError(await a.call('POST', 'Assets', { Name: 'x', Colour: 'red' }), 400, /Colour/);
  odataError(await a.call('POST', 'Assets', { Options: 'many' }), 400, /Options/);
  odataError(await a.call('POST', 'AccessPolicies', { Name: 'p', Permissions: 1 }), 400, /DurationInMinutes/);
  odataError(await a.call('GET', "Assets?$filter=Name eq 'x"), 400, /unterminated/);
  odataError(await a.call('GET', "Assets?$filter=Size gt 3"), 400, /Size/);
  const raw = await fetch(`${a.base}Assets`, { method: 'POST', headers: a.headers(true), body: '{"Name": ' });
  assert.strictEqual(raw.status, 400);
  // Another account's entity is unknown here.
  const mine = await a.create('Assets', { Name: 'mine' });
  odataError(await other.call('GET', `Assets${key(mine.Id)}`), 404, /No Asset/);
});

test('files: the name rules, one primary per asset, no negative sizes', async () => {
  const asset = await a.create('Assets', { Name: 'files' });
  for (const name of ['a:b.mp4', 'two.dots.mp4', 'q?.mp4', ''])
    odataError(await a.call('POST', 'Files', { Name: name, ParentAssetId: asset.Id }), 400, /name|Name/);
  await a.create('Files', { Name: 'one.ism', ParentAssetId: asset.Id, IsPrimary: true });
  odataError(await a.call('POST', 'Files', { Name: 'two.ism', ParentAssetId: asset.Id, IsPrimary: 'true' }), 409, /primary/);
  odataError(await a.call('POST', 'Files', { Name: 'one.ism', ParentAssetId: asset.Id }), 409, /already has a file/);
  const f = await a.create('Files', { Name: 'movie.mp4', ParentAssetId: asset.Id });
  odataError(await a.call('MERGE', `Files${key(f.Id)}`, { ContentFileSize: '-5' }), 400, /negative/);
  odataError(await a.call('MERGE', `Files${key(f.Id)}`, { ParentAssetId: 'nb:cid:UUID:x' }), 400, /cannot be updated/);
});

test('locators: origin needs read-only, at most 5, SAS not updatable, Id rules, deletion revokes', async () => {
  const asset = await a.create('Assets', { Name: 'locators' });
  const policy = async (permissions) =>
    (await a.create('AccessPolicies', { Name: `p${permissions}`, DurationInMinutes: 60, Permissions: permissions })).Id;
  for (const permissions of [3, 9, 5])
    odataError(await a.call('POST', 'Locators', { AccessPolicyId: await policy(permissions), AssetId: asset.Id, Type: 2 }),
      400, /read-only/);
  odataError(await a.call('POST', 'Locators', { AccessPolicyId: await policy(1), AssetId: asset.Id, Type: 2, Id: 'not-a-guid' }),
    400, /Invalid locator Id/);
  odataError(await a.call('POST', 'Locators', { AccessPolicyId: await policy(1), AssetId: asset.Id, Type: 7 }), 400, /Type/);
  const read = await policy(1);
  const sas = await a.create('Locators', { AccessPolicyId: read, AssetId: asset.Id, Type: 1 });
  odataError(await a.call('MERGE', `Locators${key(sas.Id)}`, { StartTime: new Date().toISOString() }), 400, /cannot be updated/);
  const origin = await a.create('Locators', { AccessPolicyId: read, AssetId: asset.Id, Type: 2, StartTime: '2030-01-01T00:00:00Z' });
  assert.strictEqual(origin.ExpirationDateTime, '/Date(1893459600000)/');  // start + 60 min
  assert.strictEqual((await a.call('MERGE', `Locators${key(origin.Id)}`, { StartTime: '2031-01-01T00:00:00Z' })).status, 204);
  const merged = await a.get(`Locators${key(origin.Id)}`);
  assert.strictEqual(merged.ExpirationDateTime, '/Date(1924995600000)/');
  for (let i = 0; i < 3; ++i) await a.create('Locators', { AccessPolicyId: read, AssetId: asset.Id, Type: 2 });
  odataError(await a.call('POST', 'Locators', { AccessPolicyId: read, AssetId: asset.Id, Type: 2 }), 409, /5 locators/);
  // Another account of this data center cannot take the Id.
  const theirs = await other.create('Assets', { Name: 'theirs' });
  const theirPolicy = await other.create('AccessPolicies', { Name: 'r', DurationInMinutes: 60, Permissions: 1 });
  odataError(await other.call('POST', 'Locators', { AccessPolicyId: theirPolicy.Id, AssetId: theirs.Id, Type: 2, Id: origin.Id }),
    403, /another Media Services account/);
  // Deleting the SAS locator revokes its URL.
  const blob = new ContainerClient(sas.Path).getBlockBlobClient('x');
  await assert.rejects(blob.getProperties(), (e) => e.statusCode === 404);  // authorised, no such blob
  assert.strictEqual((await a.call('DELETE', `Locators${key(sas.Id)}`)).status, 204);
  await assert.rejects(blob.getProperties(), (e) => e.statusCode === 403);
});

test('a StorageEncrypted asset is refused for replication', async () => {
  const asset = await a.create('Assets', { Name: 'secret', Options: 1 });
  const p = await a.create('AccessPolicies', { Name: 'r', DurationInMinutes: 60, Permissions: 1 });
  odataError(await a.call('POST', 'Locators', { AccessPolicyId: p.Id, AssetId: asset.Id, Type: 1 }), 400, /StorageEncrypted/);
});

test('a job on something that is not a video ends in Error with ErrorDetails', async () => {
  const asset = await a.create('Assets', { Name: 'notes' });
  const w = await a.create('AccessPolicies', { Name: 'w', DurationInMinutes: 60, Permissions: 2 });
  const sas = await a.create('Locators', { AccessPolicyId: w.Id, AssetId: asset.Id, Type: 1 });
  await new ContainerClient(sas.Path).getBlockBlobClient('notes.mp4').upload('these are not frames', 20);
  assert.strictEqual((await a.call('GET', `CreateFileInfos?assetid='${encodeURIComponent(asset.Id)}'`)).status, 204);
  const job = await a.create('Jobs', {
    Name: 'bad input',
    InputMediaAssets: [{ __metadata: { uri: `${a.base}Assets${key(asset.Id)}` } }],
    Tasks: [{ Configuration: 'H264 Multiple Bitrate 720p', MediaProcessorId: 'nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56',
      TaskBody: '<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>' }],
  });
  const ended = await waitForJob(a, job.Id);
  assert.strictEqual(ended.State, 4);
  const [task] = await a.get(`Jobs${key(job.Id)}/Tasks`);
  assert.strictEqual(task.ErrorDetails.results.length, 1);
  assert.strictEqual(task.ErrorDetails.results[0].Code, 'UserInput');
  assert.match(task.ErrorDetails.results[0].Message, /not a readable media file|cannot read the input|no video/);
  // Submit-time refusals: unknown processor, unknown preset, bad TaskBody.
  const base = { Name: 'x', InputMediaAssets: [{ __metadata: { uri: `${a.base}Assets${key(asset.Id)}` } }] };
  const task0 = { Configuration: 'H264 Multiple Bitrate 720p', MediaProcessorId: 'nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56',
    TaskBody: '<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>' };
  odataError(await a.call('POST', 'Jobs', { ...base, Tasks: [{ ...task0, MediaProcessorId: 'nb:mpid:UUID:1' }] }), 400, /MediaProcessorId/);
  odataError(await a.call('POST', 'Jobs', { ...base, Tasks: [{ ...task0, Configuration: 'H265 Single Bitrate 4K' }] }), 400, /preset/);
  odataError(await a.call('POST', 'Jobs', { ...base, Tasks: [{ ...task0, TaskBody: '<taskBody><inputAsset>JobInputAsset(3)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>' }] }), 400, /JobInputAsset\(3\)/);
  odataError(await a.call('POST', 'Jobs', { Name: 'x', Tasks: [task0] }), 400, /InputMediaAssets/);
  odataError(await a.call('GET', `CancelJob?jobid='${encodeURIComponent(job.Id)}'`), 400, /cannot be canceled/);
});

test('minimal metadata: odata.metadata, value, ISO dates, Int64 as strings; $select, $top, $skip, $filter', async () => {
  for (const name of ['alpha', 'beta', 'gamma']) await a.create('Assets', { Name: `q-${name}` });
  let r = await a.call('GET', "Assets?$filter=startswith(Name,'q-') and Name ne 'q-beta'&$orderby=Name desc", undefined, { verbose: false });
  assert.strictEqual(r.status, 200);
  assert.match(r.headers.get('content-type'), /odata=minimalmetadata/);
  assert.strictEqual(r.body['odata.metadata'], `${a.base}$metadata#Assets`);
  assert.deepStrictEqual(r.body.value.map((x) => x.Name), ['q-gamma', 'q-alpha']);
  assert.match(r.body.value[0].Created, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
  r = await a.call('GET', "Assets?$filter=indexof(Name,'q-') eq 0&$select=Name&$top=1&$skip=1&$inlinecount=allpages", undefined, { verbose: false });
  assert.deepStrictEqual(r.body.value, [{ Name: 'q-beta' }]);
  assert.strictEqual(r.body['odata.count'], '3');
  const one = await a.call('GET', `Assets${key(r.body.value.length && (await a.get("Assets?$filter=Name eq 'q-beta'"))[0].Id)}`, undefined, { verbose: false });
  assert.match(one.body['odata.metadata'], /\$metadata#Assets\/@Element$/);
  const state = await a.call('GET', `Assets${key(one.body.Id)}/State`);
  assert.deepStrictEqual(state.body, { d: { State: 0 } });
  const meta = await a.call('GET', '$metadata');
  assert.match(meta.text, /<EntityType Name="Locator">/);
  const doc = await a.call('GET', '', undefined, { verbose: false });
  assert.ok(doc.body.value.some((s) => s.name === 'Locators'));
});
