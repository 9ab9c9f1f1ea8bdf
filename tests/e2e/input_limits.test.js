// One request must never take down a data center. Each hostile input below once crashed (or
// could crash) the whole `serve` process; each now gets a 400 in the protocol's own shape with a
// clear message, and storage, media API and origin keep serving.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { BlobServiceClient, StorageSharedKeyCredential } = require('@azure/storage-blob');
const { TwinServer, DEV_KEY, blobRequest } = require('./lib/server');
const { MediaClient, key } = require('./lib/media');

const KEY = 'limits-media-account-key-0000000000';
const ENCODER = 'nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56';
let dc, media, blob;

test.before(async () => {
  dc = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaone: `${KEY}:storea` } }).start();
  media = new MediaClient(dc.mediaUrl, 'mediaone', KEY);
  await media.token();
  await media.discover();
  blob = new BlobServiceClient(dc.endpoint('storea'), new StorageSharedKeyCredential('storea', DEV_KEY));
});
test.after(async () => { await dc?.stop(); dc?.cleanup(); });

function odataMessage(r) {
  const error = r.body?.error ?? r.body?.['odata.error'];
  assert.ok(error, r.text);
  return error.message.value;
}

// Every service still answers, and the process is alive.
async function stillServing() {
  assert.strictEqual(dc.proc.exitCode, null, dc.stderr.slice(-2000));
  assert.strictEqual((await media.call('GET', 'Assets')).status, 200);
  assert.strictEqual((await fetch(`${dc.url}/health`)).status, 200);
  assert.strictEqual((await fetch(`${dc.streamingUrl}/health`)).status, 200);
}

test('$filter of 7 000 nested parentheses: 400, and the data center keeps serving', async () => {
  const filter = `${'('.repeat(7000)}true${')'.repeat(7000)}`;
  const r = await media.call('GET', `Assets?$filter=${filter}`);
  assert.strictEqual(r.status, 400, r.text);
  assert.match(odataMessage(r), /\$filter.*nested deeper than 32 levels/);
  const chain = `Name eq 'a'${" or Name eq 'a'".repeat(400)}`;
  const long = await media.call('GET', `Assets?$filter=${encodeURIComponent(chain)}`);
  assert.strictEqual(long.status, 400, long.text);
  assert.match(odataMessage(long), /more than 1000 terms/);
  await stillServing();
});

test('a JSON body of 200 000 nested arrays: 400, and the data center keeps serving', async () => {
  const body = `{"Name":${'['.repeat(200000)}${']'.repeat(200000)}}`;
  const res = await fetch(`${media.base}Assets`, { method: 'POST', headers: media.headers(true), body });
  const r = { status: res.status, text: await res.text() };
  r.body = JSON.parse(r.text);
  assert.strictEqual(r.status, 400, r.text);
  assert.match(odataMessage(r), /nested deeper than 64 levels/);
  await stillServing();
});

test('a JSON number no double holds: 400, not a server error', async () => {
  const res = await fetch(`${media.base}Assets`, { method: 'POST', headers: media.headers(true),
    body: '{"Name":"n","Options":11111111111111e111111111111111111111111111111}' });
  const r = { status: res.status, text: await res.text() };
  r.body = JSON.parse(r.text);
  assert.strictEqual(r.status, 400, r.text);
  assert.match(odataMessage(r), /not valid JSON/);
  await stillServing();
});

test('a block list of 100 000 nested elements: 400 InvalidBlockList, and the data center keeps serving', async () => {
  const c = blob.getContainerClient('asset-limits');
  await c.create();
  const body = `<?xml version="1.0" encoding="utf-8"?><BlockList>${'<Latest>'.repeat(100000)}${'</Latest>'.repeat(100000)}</BlockList>`;
  const sas = await c.generateSasUrl({ permissions: 'rw', expiresOn: new Date(Date.now() + 3600e3) });
  const query = new URL(sas).search.slice(1);
  const r = await blobRequest(Number(new URL(dc.url).port), 'PUT', `/storea/asset-limits/nested.bin?comp=blocklist&${query}`,
    { headers: { 'Content-Length': Buffer.byteLength(body) }, body });
  assert.strictEqual(r.status, 400, r.body);
  assert.strictEqual(r.headers['x-ms-error-code'], 'InvalidBlockList');  // a <Latest> holding no id
  assert.strictEqual(await c.getBlobClient('nested.bin').exists(), false);
  await stillServing();
});

test('a job whose MES preset nests 100 000 levels is refused with a clear message', async () => {
  const asset = await media.create('Assets', { Name: 'limits' });
  const preset = `{"Version":1.0,"Codecs":[${'['.repeat(100000)}${']'.repeat(100000)}],"Outputs":[]}`;
  const r = await media.call('POST', 'Jobs', {
    Name: 'nested preset',
    InputMediaAssets: [{ __metadata: { uri: `${media.base}Assets${key(asset.Id)}` } }],
    Tasks: [{ Configuration: preset, MediaProcessorId: ENCODER,
      TaskBody: '<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset>JobOutputAsset(0)</outputAsset></taskBody>' }],
  });
  assert.strictEqual(r.status, 400, r.text.slice(0, 500));
  assert.match(odataMessage(r), /preset is JSON nested deeper than 64 levels/);
  await stillServing();
});
