// Anonymous access by container public-access level, conditional reads, container metadata and
// the second account key, with @azure/storage-blob and plain HTTP.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { BlobServiceClient, StorageSharedKeyCredential } = require('@azure/storage-blob');
const { startServer, DEV_KEY, KEY_B } = require('./lib/server');

let dc, svc;
test.before(async () => {
  // Two keys for one account: either signs.
  dc = await startServer({ mediaa: `${DEV_KEY}:${KEY_B}` });
  svc = new BlobServiceClient(dc.endpoint('mediaa'), new StorageSharedKeyCredential('mediaa', DEV_KEY));
});
test.after(async () => {
  // SIGTERM is a clean, prompt stop.
  const started = Date.now();
  assert.equal(await dc?.stop(), 0);
  assert.ok(Date.now() - started < 5000);
  assert.match(dc.stderr, /event=stopped/);
  dc?.cleanup();
});

test('the second key signs as well as the first', async () => {
  const viaKey2 = new BlobServiceClient(dc.endpoint('mediaa'), new StorageSharedKeyCredential('mediaa', KEY_B));
  await viaKey2.getContainerClient('asset-key2').create();
  assert.equal((await svc.getContainerClient('asset-key2').exists()), true);
});

test('public access: blob level reads blobs only, container level also lists', async () => {
  const blobLevel = svc.getContainerClient('asset-public-blob');
  await blobLevel.create({ access: 'blob' });
  await blobLevel.getBlockBlobClient('a.txt').upload('open', 4);
  const containerLevel = svc.getContainerClient('asset-public-all');
  await containerLevel.create({ access: 'container' });
  await containerLevel.getBlockBlobClient('b.txt').upload('listed', 6);
  const get = (path) => fetch(`${dc.endpoint('mediaa')}/${path}`);
  const blob = await get('asset-public-blob/a.txt');
  assert.equal(blob.status, 200);
  assert.equal(await blob.text(), 'open');
  const listBlobLevel = await get('asset-public-blob?restype=container&comp=list');
  assert.equal(listBlobLevel.status, 404);
  assert.equal(listBlobLevel.headers.get('x-ms-error-code'), 'ResourceNotFound');
  const listAll = await get('asset-public-all?restype=container&comp=list');
  assert.equal(listAll.status, 200);
  assert.match(await listAll.text(), /<Name>b\.txt<\/Name>/);
  // Writes are never anonymous.
  const write = await fetch(`${dc.endpoint('mediaa')}/asset-public-all/c.txt`, { method: 'PUT', headers: { 'x-ms-blob-type': 'BlockBlob' }, body: 'x' });
  assert.equal(write.status, 404);
  // Turning public access off closes it again.
  await containerLevel.setAccessPolicy(undefined, []);
  assert.equal((await get('asset-public-all/b.txt')).status, 404);
});

test('conditional reads answer 304 and writes 412; container metadata round-trips', async () => {
  const c = svc.getContainerClient('asset-cond');
  await c.create();
  const blob = c.getBlockBlobClient('x.txt');
  const { etag } = await blob.upload('v1', 2);
  await assert.rejects(blob.download(0, undefined, { conditions: { ifNoneMatch: etag } }), (e) => e.statusCode === 304);
  const fresh = await blob.download(0, undefined, { conditions: { ifMatch: etag } });
  assert.equal(fresh.contentLength, 2);
  await assert.rejects(blob.upload('v2', 2, { conditions: { ifNoneMatch: '*' } }),
    (e) => e.statusCode === 409 && e.details.errorCode === 'BlobAlreadyExists');
  await blob.upload('v3', 2, { conditions: { ifMatch: etag } });
  await c.setMetadata({ Replicated: 'from-dc-a' });
  const props = await c.getProperties();
  assert.deepEqual(props.metadata, { replicated: 'from-dc-a' });
  await blob.setMetadata({ Mtime: '2026-11-25T08:31:56Z' });
  await blob.setHTTPHeaders({ blobContentType: 'video/mp4', blobCacheControl: 'max-age=60' });
  const bp = await blob.getProperties();
  assert.equal(bp.contentType, 'video/mp4');
  assert.equal(bp.cacheControl, 'max-age=60');
  assert.deepEqual(bp.metadata, { mtime: '2026-11-25T08:31:56Z' });
  await blob.delete();
  assert.equal(await blob.exists(), false);
  await c.delete();
  assert.equal(await c.exists(), false);
});
