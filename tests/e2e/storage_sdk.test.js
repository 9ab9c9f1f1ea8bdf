// The storage service driven by @azure/storage-blob 12.32.0: two accounts in two server
// processes (two data centers), the copy family across them, and the refusals.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const {
  BlobServiceClient, StorageSharedKeyCredential, ContainerSASPermissions,
  generateBlobSASQueryParameters, BlobSASPermissions,
} = require('@azure/storage-blob');
const { startServer, DEV_KEY, KEY_B } = require('./lib/server');

const md5 = (buf) => crypto.createHash('md5').update(buf).digest('base64');
const hour = () => new Date(Date.now() + 3600e3);

let dcA, dcB, svcA, svcB, credA, credB;

test.before(async () => {
  dcA = await startServer({ accounta: DEV_KEY });
  dcB = await startServer({ accountb: KEY_B });
  credA = new StorageSharedKeyCredential('accounta', DEV_KEY);
  credB = new StorageSharedKeyCredential('accountb', KEY_B);
  svcA = new BlobServiceClient(dcA.endpoint('accounta'), credA);
  svcB = new BlobServiceClient(dcB.endpoint('accountb'), credB);
});

test.after(async () => {
  await dcA?.stop();
  await dcB?.stop();
  dcA?.cleanup();
  dcB?.cleanup();
});

function containerSas(container, permissions, expiresOn = hour(), cred = credA) {
  return generateBlobSASQueryParameters(
    { containerName: container, permissions: ContainerSASPermissions.parse(permissions), expiresOn },
    cred).toString();
}

test('createIfNotExists twice: created, then already there', async () => {
  const c = svcA.getContainerClient('asset-create');
  const first = await c.createIfNotExists({ metadata: { Owner: 'walkthrough' } });
  const second = await c.createIfNotExists();
  assert.equal(first.succeeded, true);
  assert.equal(second.succeeded, false);
  assert.equal(second.errorCode, 'ContainerAlreadyExists');
  const props = await c.getProperties();
  assert.equal(props.metadata.owner, 'walkthrough');
});

test('uploadData small (Put Blob) and above 8 MiB (staged blocks) round-trip', async () => {
  const c = svcA.getContainerClient('asset-upload');
  await c.create();
  const small = Buffer.from('hello twinorigin');
  const big = crypto.randomBytes(9 * 1024 * 1024 + 123);
  await c.getBlockBlobClient('small.txt').uploadData(small, {
    blobHTTPHeaders: { blobContentType: 'text/plain' }, metadata: { MixedCase: 'Yes' } });
  await c.getBlockBlobClient('big.bin').uploadData(big, { blockSize: 4 * 1024 * 1024, maxSingleShotSize: 4 * 1024 * 1024, concurrency: 4 });
  const s = c.getBlobClient('small.txt');
  assert.deepEqual(await s.downloadToBuffer(), small);
  const sp = await s.getProperties();
  assert.equal(sp.contentType, 'text/plain');
  assert.equal(Buffer.from(sp.contentMD5).toString('base64'), md5(small));
  assert.deepEqual(sp.metadata, { mixedcase: 'Yes' });
  const bigBack = await c.getBlobClient('big.bin').downloadToBuffer();
  assert.equal(bigBack.length, big.length);
  assert.ok(bigBack.equals(big));
  const blocks = await c.getBlockBlobClient('big.bin').getBlockList('all');
  assert.equal(blocks.committedBlocks.length, 3);
  assert.equal(blocks.uncommittedBlocks.length, 0);
  assert.equal(blocks.committedBlocks.reduce((n, b) => n + b.size, 0), big.length);
});

test('list with prefix and delimiter, flat and by hierarchy, with paging', async () => {
  const c = svcA.getContainerClient('asset-list');
  await c.create();
  for (const name of ['a/1.mp4', 'a/2.mp4', 'a/sub/3.mp4', 'b/4.mp4', 'top.ism']) {
    await c.getBlockBlobClient(name).upload('x', 1, { metadata: { n: name.replace(/\W/g, '') } });
  }
  const flat = [];
  for await (const b of c.listBlobsFlat({ prefix: 'a/', includeMetadata: true })) flat.push(b.name);
  assert.deepEqual(flat, ['a/1.mp4', 'a/2.mp4', 'a/sub/3.mp4']);
  const level = [];
  for await (const item of c.listBlobsByHierarchy('/', { prefix: 'a/' })) {
    level.push(item.kind === 'prefix' ? `prefix:${item.name}` : item.name);
  }
  // The SDK yields a page's prefixes before its blobs.
  assert.deepEqual(level.sort(), ['a/1.mp4', 'a/2.mp4', 'prefix:a/sub/']);
  const root = [];
  for await (const item of c.listBlobsByHierarchy('/')) root.push(item.kind === 'prefix' ? `prefix:${item.name}` : item.name);
  assert.deepEqual(root.sort(), ['prefix:a/', 'prefix:b/', 'top.ism']);
  const pages = [];
  for await (const page of c.listBlobsFlat().byPage({ maxPageSize: 2 })) pages.push(page.segment.blobItems.map((b) => b.name));
  assert.deepEqual(pages, [['a/1.mp4', 'a/2.mp4'], ['a/sub/3.mp4', 'b/4.mp4'], ['top.ism']]);
  const containers = [];
  for await (const ci of svcA.listContainers({ prefix: 'asset-l' })) containers.push(ci.name);
  assert.deepEqual(containers, ['asset-list']);
});

test('ranged download returns exactly the asked bytes', async () => {
  const c = svcA.getContainerClient('asset-range');
  await c.create();
  const data = crypto.randomBytes(100000);
  await c.getBlockBlobClient('r.bin').uploadData(data);
  const part = await c.getBlobClient('r.bin').downloadToBuffer(1000, 10);
  assert.deepEqual(part, data.subarray(1000, 1010));
  const tail = await c.getBlobClient('r.bin').download(99990);
  assert.equal(tail.contentRange, 'bytes 99990-99999/100000');
  await assert.rejects(c.getBlobClient('r.bin').download(100000, 5), (e) => e.statusCode === 416 && e.details.errorCode === 'InvalidRange');
});

test('cross data center async copy with a read-only container SAS, polled to success', async () => {
  const src = svcA.getContainerClient('asset-src');
  await src.create();
  const data = crypto.randomBytes(6 * 1024 * 1024 + 7);
  await src.getBlockBlobClient('movie_1280x720_3400.mp4').uploadData(data, { metadata: { Layer: '720p' } });
  const sas = containerSas('asset-src', 'r');
  const dst = svcB.getContainerClient('asset-dst');
  await dst.create();
  const target = dst.getBlobClient('movie_1280x720_3400.mp4');
  const poller = await target.beginCopyFromURL(`${src.getBlobClient('movie_1280x720_3400.mp4').url}?${sas}`, { intervalInMs: 100 });
  const result = await poller.pollUntilDone();
  assert.equal(result.copyStatus, 'success');
  const props = await target.getProperties();
  assert.equal(props.copyStatus, 'success');
  assert.equal(props.copyProgress, `${data.length}/${data.length}`);
  assert.equal(Buffer.from(props.contentMD5).toString('base64'), md5(data));
  assert.equal(props.metadata.layer, '720p');
  const back = await target.downloadToBuffer();
  assert.ok(back.equals(data));
});

test('syncCopyFromURL and syncUploadFromURL across data centers', async () => {
  const src = svcA.getContainerClient('asset-sync');
  await src.create();
  const data = crypto.randomBytes(300000);
  await src.getBlockBlobClient('clip.mp4').uploadData(data, { blobHTTPHeaders: { blobContentType: 'video/mp4' } });
  const url = `${src.getBlobClient('clip.mp4').url}?${containerSas('asset-sync', 'r')}`;
  const dst = svcB.getContainerClient('asset-sync-b');
  await dst.create();
  const copied = await dst.getBlobClient('copy.mp4').syncCopyFromURL(url);
  assert.equal(copied.copyStatus, 'success');
  assert.ok((await dst.getBlobClient('copy.mp4').downloadToBuffer()).equals(data));
  await dst.getBlockBlobClient('put.mp4').syncUploadFromURL(url);
  const props = await dst.getBlobClient('put.mp4').getProperties();
  assert.equal(props.contentType, 'video/mp4');
  assert.equal(props.contentLength, data.length);
  assert.ok((await dst.getBlobClient('put.mp4').downloadToBuffer()).equals(data));
});

test('stageBlockFromURL with ranges, then commit', async () => {
  const src = svcA.getContainerClient('asset-stage');
  await src.create();
  const data = crypto.randomBytes(200000);
  await src.getBlockBlobClient('whole.bin').uploadData(data);
  const url = `${src.getBlobClient('whole.bin').url}?${containerSas('asset-stage', 'r')}`;
  const dst = svcB.getContainerClient('asset-stage-b');
  await dst.create();
  const bb = dst.getBlockBlobClient('assembled.bin');
  const id = (n) => Buffer.from(`block-${String(n).padStart(6, '0')}`).toString('base64');
  await bb.stageBlockFromURL(id(1), url, 0, 100000);
  await bb.stageBlockFromURL(id(2), url, 100000, 100000);
  const pending = await bb.getBlockList('uncommitted');
  assert.equal(pending.uncommittedBlocks.length, 2);
  await bb.commitBlockList([id(1), id(2)]);
  assert.ok((await bb.downloadToBuffer()).equals(data));
});

test('refusals: read-only SAS write, expired SAS, wrong key, missing container and blob', async () => {
  const c = svcA.getContainerClient('asset-refuse');
  await c.create();
  await c.getBlockBlobClient('exists.txt').upload('x', 1);
  const ro = new BlobServiceClient(`${dcA.endpoint('accounta')}?${containerSas('asset-refuse', 'rl')}`);
  await assert.rejects(ro.getContainerClient('asset-refuse').getBlockBlobClient('new.txt').upload('y', 1),
    (e) => e.statusCode === 403 && e.details.errorCode === 'AuthorizationPermissionMismatch');
  // The same read-only SAS may read.
  assert.equal((await ro.getContainerClient('asset-refuse').getBlobClient('exists.txt').downloadToBuffer()).toString(), 'x');
  const expired = new BlobServiceClient(`${dcA.endpoint('accounta')}?${containerSas('asset-refuse', 'r', new Date(Date.now() - 60e3))}`);
  await assert.rejects(expired.getContainerClient('asset-refuse').getBlobClient('exists.txt').downloadToBuffer(),
    (e) => e.statusCode === 403 && e.details.errorCode === 'AuthenticationFailed');
  const wrong = new BlobServiceClient(dcA.endpoint('accounta'), new StorageSharedKeyCredential('accounta', KEY_B));
  await assert.rejects(wrong.getContainerClient('asset-refuse').getProperties(),
    (e) => e.statusCode === 403 && e.details.errorCode === 'AuthenticationFailed');
  await assert.rejects(svcA.getContainerClient('no-such-container').getBlobClient('x').downloadToBuffer(),
    (e) => e.statusCode === 404 && e.details.errorCode === 'ContainerNotFound');
  await assert.rejects(svcA.getContainerClient('no-such-container').getProperties(),
    (e) => e.statusCode === 404 && e.details.errorCode === 'ContainerNotFound');
  await assert.rejects(c.getBlobClient('missing.txt').getProperties(),
    (e) => e.statusCode === 404 && e.details.errorCode === 'BlobNotFound');
  await assert.rejects(c.getBlobClient('missing.txt').downloadToBuffer(),
    (e) => e.statusCode === 404 && e.details.errorCode === 'BlobNotFound');
  assert.equal(await c.getBlobClient('missing.txt').exists(), false);
  // A cross-account copy without a SAS cannot read the private source.
  const dst = svcB.getContainerClient('asset-refuse-b');
  await dst.create();
  await assert.rejects(dst.getBlobClient('x').syncCopyFromURL(c.getBlobClient('exists.txt').url),
    (e) => [403, 404].includes(e.statusCode) && e.details.errorCode === 'CannotVerifyCopySource');
  // A bad block list and a bad MD5 are refused without touching the blob.
  await assert.rejects(c.getBlockBlobClient('exists.txt').commitBlockList([Buffer.from('nope').toString('base64')]),
    (e) => e.statusCode === 400 && e.details.errorCode === 'InvalidBlockList');
  await assert.rejects(c.getBlockBlobClient('exists.txt').upload('abc', 3, { transactionalContentMD5: crypto.createHash('md5').update('xyz').digest() }),
    (e) => e.statusCode === 400 && e.details.errorCode === 'Md5Mismatch');
  assert.equal((await c.getBlobClient('exists.txt').downloadToBuffer()).toString(), 'x');
});

// A copy source that sends half its body and then hangs or dies, to see pending, abort and failure.
function stallingSource(size, behaviour) {
  return new Promise((resolve) => {
    const sockets = new Set();
    const server = http.createServer((req, res) => {
      res.writeHead(200, { 'Content-Length': size, 'Content-Type': 'video/mp4' });
      if (req.method === 'HEAD') return res.end();
      res.write(Buffer.alloc(size / 2, 7));
      if (behaviour === 'die') setTimeout(() => req.socket.destroy(), 200);
    });
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    server.listen(0, '127.0.0.1', () => resolve({
      url: `http://127.0.0.1:${server.address().port}/src/movie.mp4`,
      close: () => { for (const s of sockets) s.destroy(); server.close(); },
    }));
  });
}

test('a copy whose source dies mid-way fails, with no partial blob visible', async () => {
  const source = await stallingSource(1 << 20, 'die');
  try {
    const dst = svcB.getContainerClient('asset-dies');
    await dst.create();
    const blob = dst.getBlobClient('movie.mp4');
    const started = await blob.beginCopyFromURL(source.url, { intervalInMs: 100 });
    const final = await started.pollUntilDone().catch((e) => e);
    const props = await blob.getProperties();
    assert.equal(props.copyStatus, 'failed', String(final));
    assert.ok(props.copyStatusDescription.length > 0);
    assert.equal(props.contentLength, 0);
    assert.equal((await blob.downloadToBuffer()).length, 0);
  } finally {
    source.close();
  }
});

test('abortCopyFromURL stops a pending copy', async () => {
  const source = await stallingSource(1 << 20, 'hang');
  try {
    const dst = svcB.getContainerClient('asset-abort');
    await dst.create();
    const blob = dst.getBlobClient('movie.mp4');
    await blob.beginCopyFromURL(source.url, { intervalInMs: 100 });
    const props = await blob.getProperties();
    assert.equal(props.copyStatus, 'pending');
    await blob.abortCopyFromURL(props.copyId);
    const after = await blob.getProperties();
    assert.equal(after.copyStatus, 'aborted');
    assert.equal(after.contentLength, 0);
    await assert.rejects(blob.abortCopyFromURL(props.copyId), (e) => e.statusCode === 409 && e.details.errorCode === 'NoPendingCopyOperation');
  } finally {
    source.close();
  }
});

test('blob SAS with response-header overrides and a stored access policy', async () => {
  const c = svcA.getContainerClient('asset-policy');
  await c.create();
  await c.getBlockBlobClient('dir/a b.mp4').upload('movie', 5);
  const blobSas = generateBlobSASQueryParameters({
    containerName: 'asset-policy', blobName: 'dir/a b.mp4', permissions: BlobSASPermissions.parse('r'),
    expiresOn: hour(), contentDisposition: 'attachment; filename="a b.mp4"' }, credA).toString();
  const viaSas = new BlobServiceClient(`${dcA.endpoint('accounta')}?${blobSas}`);
  const dl = await viaSas.getContainerClient('asset-policy').getBlobClient('dir/a b.mp4').download();
  assert.equal(dl.contentDisposition, 'attachment; filename="a b.mp4"');
  await c.setAccessPolicy(undefined, [{ id: 'locator-1', accessPolicy: { permissions: 'rl', expiresOn: hour() } }]);
  const policySas = generateBlobSASQueryParameters({ containerName: 'asset-policy', identifier: 'locator-1' }, credA).toString();
  const viaPolicy = new BlobServiceClient(`${dcA.endpoint('accounta')}?${policySas}`).getContainerClient('asset-policy');
  const names = [];
  for await (const b of viaPolicy.listBlobsFlat()) names.push(b.name);
  assert.deepEqual(names, ['dir/a b.mp4']);
  // Deleting the policy revokes every SAS bound to it.
  await c.setAccessPolicy(undefined, []);
  await assert.rejects(viaPolicy.getBlobClient('dir/a b.mp4').downloadToBuffer(), (e) => e.statusCode === 403);
});
