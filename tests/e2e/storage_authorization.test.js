// The storage service refuses exactly what Azure refuses, tried from the attacker's side with
// @azure/storage-blob: a create-only SAS never replaces a blob, a copy source is authorised on
// its own (also within the account), and a request naming a snapshot or version never touches
// the base blob. Every refused request is followed by reading the blob back.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const {
  BlobServiceClient, StorageSharedKeyCredential, ContainerSASPermissions, BlobSASPermissions,
  generateBlobSASQueryParameters, ContainerClient, BlockBlobClient, BlobClient,
} = require('@azure/storage-blob');
const { startServer, DEV_KEY, KEY_B } = require('./lib/server');

const acct = 'accounta';
const hour = () => new Date(Date.now() + 3600e3);
const SNAPSHOT = '2026-01-02T03:04:05.6789012Z';
const NOT_PERMITTED = 'This request is not authorized to perform this operation using this permission.';

let dc, dcB, cred, svc, c;

test.before(async () => {
  dc = await startServer({ [acct]: DEV_KEY });
  dcB = await startServer({ accountb: KEY_B });
  cred = new StorageSharedKeyCredential(acct, DEV_KEY);
  svc = new BlobServiceClient(dc.endpoint(acct), cred);
  c = svc.getContainerClient('asset-auth');
  await c.create();
});

test.after(async () => {
  await dc?.stop();
  await dcB?.stop();
  dc?.cleanup();
  dcB?.cleanup();
});

function sasFor(container, permissions, blobName) {
  const perms = blobName ? BlobSASPermissions.parse(permissions) : ContainerSASPermissions.parse(permissions);
  return generateBlobSASQueryParameters(
    { containerName: container, blobName, permissions: perms, expiresOn: hour() }, cred).toString();
}

// A client of the container that holds only a SAS with these permissions.
function containerWithSas(permissions, container = 'asset-auth') {
  return new ContainerClient(`${dc.endpoint(acct)}/${container}?${sasFor(container, permissions)}`);
}

async function text(blob) {
  return (await blob.downloadToBuffer()).toString();
}

async function seed(name, body) {
  await c.getBlockBlobClient(name).upload(body, body.length);
  return c.getBlobClient(name).url;  // a bare URL: no authorisation of its own
}

test('a create-only SAS creates new blobs with every whole-blob write', async () => {
  const source = await seed('src-new.txt', 'source bytes');
  const sourceWithRead = `${source}?${sasFor('asset-auth', 'r', 'src-new.txt')}`;
  const dropBox = containerWithSas('c');
  await dropBox.getBlockBlobClient('new-put.txt').upload('put', 3);
  const poller = await dropBox.getBlobClient('new-copy.txt').beginCopyFromURL(sourceWithRead, { intervalInMs: 100 });
  await poller.pollUntilDone();
  await dropBox.getBlobClient('new-sync.txt').syncCopyFromURL(sourceWithRead);
  await dropBox.getBlockBlobClient('new-from-url.txt').syncUploadFromURL(sourceWithRead);
  assert.equal(await text(c.getBlobClient('new-put.txt')), 'put');
  for (const name of ['new-copy.txt', 'new-sync.txt', 'new-from-url.txt'])
    assert.equal(await text(c.getBlobClient(name)), 'source bytes', name);
});

test('a create-only SAS may not replace a blob: Put Blob, Copy Blob, Copy Blob From URL, Put Blob From URL', async () => {
  await seed('victim.txt', 'original');
  const before = await c.getBlobClient('victim.txt').getProperties();
  const source = await seed('attacker-src.txt', 'replaced!');
  const sourceWithRead = `${source}?${sasFor('asset-auth', 'r', 'attacker-src.txt')}`;
  const dropBox = containerWithSas('c');
  const victim = dropBox.getBlockBlobClient('victim.txt');
  const refused = (e) => e.statusCode === 403 && e.details.errorCode === 'AuthorizationPermissionMismatch';
  await assert.rejects(victim.upload('replaced!', 9), refused);
  await assert.rejects(victim.beginCopyFromURL(sourceWithRead), refused);
  await assert.rejects(victim.syncCopyFromURL(sourceWithRead), refused);
  await assert.rejects(victim.syncUploadFromURL(sourceWithRead), refused);
  const after = await c.getBlobClient('victim.txt').getProperties();
  assert.equal(await text(c.getBlobClient('victim.txt')), 'original');
  assert.equal(after.etag, before.etag);
  assert.match(dc.stderr, /cause="a create-only SAS may not replace an existing blob"/);
  // With w as well, the same SAS holder may overwrite.
  await containerWithSas('cw').getBlockBlobClient('victim.txt').upload('rewritten', 9);
  assert.equal(await text(c.getBlobClient('victim.txt')), 'rewritten');
});

test('a destination SAS does not grant reading a bare same-account source: all four copy operations', async () => {
  const other = svc.getContainerClient('asset-private');
  await other.create();
  await other.getBlockBlobClient('secret.txt').upload('top secret', 10);
  const bare = other.getBlobClient('secret.txt').url;
  const dest = containerWithSas('rwc');
  const cannotVerify = (e) => {
    assert.equal(e.statusCode, 404);  // the source's own answer to an anonymous read
    assert.equal(e.details.errorCode, 'CannotVerifyCopySource');
    return true;
  };
  await assert.rejects(dest.getBlobClient('stolen-1.txt').beginCopyFromURL(bare), cannotVerify);
  await assert.rejects(dest.getBlobClient('stolen-2.txt').syncCopyFromURL(bare), cannotVerify);
  await assert.rejects(dest.getBlockBlobClient('stolen-3.txt').syncUploadFromURL(bare), cannotVerify);
  await assert.rejects(dest.getBlockBlobClient('stolen-4.txt').stageBlockFromURL(
    Buffer.from('block-0').toString('base64'), bare), cannotVerify);
  for (const n of [1, 2, 3]) assert.equal(await c.getBlobClient(`stolen-${n}.txt`).exists(), false);
  const blocks = await c.getBlockBlobClient('stolen-4.txt').getBlockList('all').catch((e) => e);
  assert.equal(blocks.statusCode, 404);
  assert.match(dc.stderr, /cause="copy source not authorized: anonymous request for a private resource"/);
});

test('a source SAS without r is refused with the source\'s own message, even for a Shared Key caller', async () => {
  await seed('guarded.txt', 'guarded');
  const source = `${c.getBlobClient('guarded.txt').url}?${sasFor('asset-auth', 'w', 'guarded.txt')}`;
  const check = (e) => {
    assert.equal(e.statusCode, 403);
    assert.equal(e.details.errorCode, 'CannotVerifyCopySource');
    assert.ok(e.message.includes(NOT_PERMITTED), e.message);
    return true;
  };
  await assert.rejects(c.getBlobClient('w-only-1.txt').beginCopyFromURL(source), check);
  await assert.rejects(c.getBlobClient('w-only-2.txt').syncCopyFromURL(source), check);
  await assert.rejects(c.getBlockBlobClient('w-only-3.txt').syncUploadFromURL(source), check);
  await assert.rejects(c.getBlockBlobClient('w-only-4.txt').stageBlockFromURL(
    Buffer.from('block-0').toString('base64'), source), check);
  for (const n of [1, 2, 3]) assert.equal(await c.getBlobClient(`w-only-${n}.txt`).exists(), false);
});

test('another data center refuses a source SAS without r with the source\'s own message', async () => {
  await seed('remote-guarded.txt', 'guarded');
  const source = `${c.getBlobClient('remote-guarded.txt').url}?${sasFor('asset-auth', 'w', 'remote-guarded.txt')}`;
  const b = new BlobServiceClient(dcB.endpoint('accountb'), new StorageSharedKeyCredential('accountb', KEY_B));
  const dest = b.getContainerClient('asset-remote');
  await dest.create();
  const check = (e) => {
    assert.equal(e.statusCode, 403);
    assert.equal(e.details.errorCode, 'CannotVerifyCopySource');
    assert.ok(e.message.includes(NOT_PERMITTED), e.message);
    return true;
  };
  await assert.rejects(dest.getBlobClient('x.txt').beginCopyFromURL(source), check);
  await assert.rejects(dest.getBlockBlobClient('y.txt').syncUploadFromURL(source), check);
  assert.equal(await dest.getBlobClient('x.txt').exists(), false);
});

test('within the account a Shared Key caller copies a bare source, and anyone copies with a source SAS granting r', async () => {
  const bare = await seed('shared-src.txt', 'shared bytes');
  await c.getBlobClient('sk-copy.txt').syncCopyFromURL(bare);  // as rclone copyto does
  assert.equal(await text(c.getBlobClient('sk-copy.txt')), 'shared bytes');
  const withRead = `${bare}?${sasFor('asset-auth', 'r', 'shared-src.txt')}`;
  await containerWithSas('cw').getBlobClient('sas-copy.txt').syncCopyFromURL(withRead);
  assert.equal(await text(c.getBlobClient('sas-copy.txt')), 'shared bytes');
});

test('a snapshot or version that does not exist is not found, and the base blob is untouched', async () => {
  await seed('based.txt', 'base blob');
  const base = c.getBlobClient('based.txt');
  const notFound = (e) => e.statusCode === 404 && e.details.errorCode === 'BlobNotFound';
  await assert.rejects(base.withSnapshot(SNAPSHOT).downloadToBuffer(), notFound);
  await assert.rejects(base.withSnapshot(SNAPSHOT).getProperties(), (e) => e.statusCode === 404);
  await assert.rejects(base.withSnapshot(SNAPSHOT).delete(), notFound);
  await assert.rejects(base.withVersion(SNAPSHOT).delete(), notFound);
  await assert.rejects(base.withVersion(SNAPSHOT).setMetadata({ x: 'y' }), notFound);
  assert.equal(await text(base), 'base blob');
  assert.deepEqual((await base.getProperties()).metadata, {});
  // "Delete only the snapshots" of a blob that has none leaves the blob.
  await base.delete({ deleteSnapshots: 'only' });
  assert.equal(await text(base), 'base blob');
  // A copy whose source names a snapshot copies nothing.
  await assert.rejects(c.getBlobClient('from-snapshot.txt').syncCopyFromURL(`${base.url}?snapshot=${encodeURIComponent(SNAPSHOT)}`),
    (e) => e.statusCode === 404 && e.details.errorCode === 'CannotVerifyCopySource');
  // A malformed snapshot is a bad query parameter.
  const raw = await fetch(`${base.url}?snapshot=yesterday&${sasFor('asset-auth', 'rd')}`, { method: 'DELETE' });
  assert.equal(raw.status, 400);
  assert.equal(raw.headers.get('x-ms-error-code'), 'InvalidQueryParameterValue');
  assert.equal(await text(base), 'base blob');
});

test('a blob SAS for a snapshot (sr=bs) reaches nothing', async () => {
  await seed('snap-sas.txt', 'kept');
  const sas = generateBlobSASQueryParameters({
    containerName: 'asset-auth', blobName: 'snap-sas.txt', snapshotTime: SNAPSHOT,
    permissions: BlobSASPermissions.parse('rd'), expiresOn: hour(),
  }, cred).toString();
  const url = `${c.getBlobClient('snap-sas.txt').url}?snapshot=${encodeURIComponent(SNAPSHOT)}&${sas}`;
  await assert.rejects(new BlobClient(url).delete(), (e) => e.statusCode === 404);
  await assert.rejects(new BlockBlobClient(url).downloadToBuffer(), (e) => e.statusCode === 404);
  assert.equal(await text(c.getBlobClient('snap-sas.txt')), 'kept');
});
