// What real SDK calls expect of the service, with @azure/storage-blob (and SAS-signed raw HTTP
// where the SDK cannot send the request): no silent success for features that do not exist
// here, MD5 checks, If-None-Match: *, hierarchical paging, uncommitted blobs, backslashes in
// names, container conditions, and Azure's own error messages.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const {
  BlobServiceClient, StorageSharedKeyCredential, ContainerSASPermissions, BlobSASPermissions,
  generateBlobSASQueryParameters, generateAccountSASQueryParameters, AccountSASPermissions,
  AccountSASResourceTypes, AccountSASServices,
} = require('@azure/storage-blob');
const { startServer, blobRequest, DEV_KEY } = require('./lib/server');

const acct = 'accounta';
const hour = () => new Date(Date.now() + 3600e3);
const md5 = (s) => crypto.createHash('md5').update(s).digest();

let dc, cred, svc, c;

test.before(async () => {
  dc = await startServer({ [acct]: DEV_KEY });
  cred = new StorageSharedKeyCredential(acct, DEV_KEY);
  svc = new BlobServiceClient(dc.endpoint(acct), cred);
  c = svc.getContainerClient('asset-conform');
  await c.create();
});

test.after(async () => {
  await dc?.stop();
  dc?.cleanup();
});

function containerSas(container, permissions) {
  return generateBlobSASQueryParameters({ containerName: container,
    permissions: ContainerSASPermissions.parse(permissions), expiresOn: hour() }, cred).toString();
}

const request = (method, path, options) => blobRequest(Number(new URL(dc.url).port), method, path, options);

const is = (status, code) => (e) => {
  assert.equal(e.statusCode, status, e.message);
  assert.equal(e.details.errorCode, code);
  return true;
};

async function seed(name, body) {
  const blob = c.getBlockBlobClient(name);
  await blob.upload(body, body.length);
  return blob;
}

test('Set Blob Tier, tags and tag conditions are refused and change nothing', async () => {
  const blob = await seed('tiered.txt', 'hot bytes');
  const before = await blob.getProperties();
  await assert.rejects(blob.setAccessTier('Cool'), is(409, 'BlobAccessTierNotSupportedForAccountType'));
  // A tier that does not exist is a bad value first (the SDK checks that itself: sent raw).
  const bad = await request('PUT', `/${acct}/asset-conform/tiered.txt?comp=tier&${containerSas('asset-conform', 'w')}`,
    { headers: { 'x-ms-access-tier': 'Lukewarm' } });
  assert.equal(bad.status, 400, bad.body);
  assert.equal(bad.headers['x-ms-error-code'], 'InvalidHeaderValue');
  await assert.rejects(blob.upload('tagged', 6, { tags: { stage: 'raw' } }), is(400, 'UnsupportedHeader'));
  await assert.rejects(blob.upload('conditional', 11, { conditions: { tagConditions: "stage = 'raw'" } }),
    is(400, 'UnsupportedHeader'));
  await assert.rejects(blob.upload('tiered', 6, { tier: 'Cool' }), is(409, 'BlobAccessTierNotSupportedForAccountType'));
  await assert.rejects(blob.setMetadata({ a: 'b' }, { conditions: { leaseId: crypto.randomUUID() } }),
    is(412, 'LeaseNotPresentWithBlobOperation'));
  await assert.rejects(blob.stageBlock(Buffer.from('b1').toString('base64'), 'x', 1,
    { transactionalContentCrc64: new Uint8Array(8) }), is(400, 'UnsupportedHeader'));
  const after = await blob.getProperties();
  assert.equal(after.etag, before.etag);
  assert.equal((await blob.downloadToBuffer()).toString(), 'hot bytes');
  assert.equal(after.accessTier, 'Hot');
  assert.match(dc.stderr, /cause="x-ms-tags is not supported"/);
  assert.match(dc.stderr, /cause="access tiers are not supported"/);
});

test('conditional headers where the service does not evaluate them are refused', async () => {
  // The SDK drops ETag conditions on a container delete ("ignored by the service"): send it raw.
  const accountSas = generateAccountSASQueryParameters({
    permissions: AccountSASPermissions.parse('rwdl'), resourceTypes: AccountSASResourceTypes.parse('co').toString(),
    services: AccountSASServices.parse('b').toString(), expiresOn: hour() }, cred).toString();
  const raw = await request('DELETE', `/${acct}/asset-conform?restype=container&${accountSas}`,
    { headers: { 'If-Match': '"0x8D0000"' } });
  assert.equal(raw.status, 400, raw.body);
  assert.equal(raw.headers['x-ms-error-code'], 'ConditionHeadersNotSupported');
  assert.equal(await c.exists(), true);
  // Nor on a listing or a block upload.
  const list = await request('GET', `/${acct}/asset-conform?restype=container&comp=list&${accountSas}`,
    { headers: { 'If-Modified-Since': new Date().toUTCString() } });
  assert.equal(list.headers['x-ms-error-code'], 'ConditionHeadersNotSupported');
  const block = await request('PUT', `/${acct}/asset-conform/cond.bin?comp=block&blockid=YjE%3D&${accountSas}`,
    { headers: { 'If-None-Match': '*', 'Content-Length': 1 }, body: 'x' });
  assert.equal(block.headers['x-ms-error-code'], 'ConditionHeadersNotSupported', block.body);
});

test('x-ms-blob-content-md5 on Put Blob is checked against the body', async () => {
  const blob = c.getBlockBlobClient('md5.txt');
  await blob.upload('first', 5);
  await assert.rejects(blob.upload('second', 6, { blobHTTPHeaders: { blobContentMD5: md5('other') } }),
    is(400, 'Md5Mismatch'));
  assert.equal((await blob.downloadToBuffer()).toString(), 'first');
  await blob.upload('second', 6, { blobHTTPHeaders: { blobContentMD5: md5('second') } });
  const props = await blob.getProperties();
  assert.deepEqual(Buffer.from(props.contentMD5), md5('second'));
});

test('If-None-Match: * onto an existing blob is 409 BlobAlreadyExists for every whole-blob write', async () => {
  const blob = await seed('exists.txt', 'here');
  const source = (await seed('exists-src.txt', 'other')).url;
  const onlyNew = { conditions: { ifNoneMatch: '*' } };
  const exists = is(409, 'BlobAlreadyExists');
  await assert.rejects(blob.upload('x', 1, onlyNew), exists);
  const id = Buffer.from('blk-0001').toString('base64');
  await blob.stageBlock(id, 'y', 1);
  await assert.rejects(blob.commitBlockList([id], onlyNew), exists);
  await assert.rejects(blob.beginCopyFromURL(source, onlyNew), exists);
  await assert.rejects(blob.syncCopyFromURL(source, onlyNew), exists);
  await assert.rejects(blob.syncUploadFromURL(source, onlyNew), exists);
  assert.equal((await blob.downloadToBuffer()).toString(), 'here');
  // On a new name it creates.
  await c.getBlockBlobClient('fresh.txt').upload('new', 3, onlyNew);
  assert.equal(await c.getBlobClient('fresh.txt').exists(), true);
});

test('listBlobsByHierarchy with one item a page walks every prefix once and ends', async () => {
  const tree = svc.getContainerClient('asset-tree');
  await tree.create();
  for (const name of ['a/1', 'a/2', 'a/3', 'b/1', 'c']) await tree.getBlockBlobClient(name).upload('x', 1);
  const seen = [];
  let pages = 0;
  for await (const page of tree.listBlobsByHierarchy('/').byPage({ maxPageSize: 1 })) {
    for (const p of page.segment.blobPrefixes || []) seen.push(p.name);
    for (const b of page.segment.blobItems) seen.push(b.name);
    if (++pages > 10) break;  // a repeated prefix would loop for ever
  }
  assert.deepEqual(seen, ['a/', 'b/', 'c']);
  // Inside a prefix, too.
  const inside = [];
  for await (const page of tree.listBlobsByHierarchy('/', { prefix: 'a/' }).byPage({ maxPageSize: 2 }))
    for (const b of page.segment.blobItems) inside.push(b.name);
  assert.deepEqual(inside, ['a/1', 'a/2', 'a/3']);
});

test('include=uncommittedblobs lists blobs that have only staged blocks', async () => {
  const staged = c.getBlockBlobClient('staged-only.bin');
  await staged.stageBlock(Buffer.from('blk-0001').toString('base64'), 'abc', 3);
  const names = async (opts) => {
    const out = [];
    for await (const b of c.listBlobsFlat({ prefix: 'staged', ...opts })) out.push([b.name, b.properties.contentLength]);
    return out;
  };
  assert.deepEqual(await names({}), []);
  assert.deepEqual(await names({ includeUncommitedBlobs: true }), [['staged-only.bin', 0]]);
  await staged.commitBlockList([Buffer.from('blk-0001').toString('base64')]);
  assert.deepEqual(await names({ includeUncommitedBlobs: true }), [['staged-only.bin', 3]]);
});

test('a backslash in a blob name is stored as a slash, and a SAS for the slash name covers it', async () => {
  const sas = containerSas('asset-conform', 'rwl');
  for (const [path, body] of [['dir%5Cone.txt', 'one'], ['dir\\two.txt', 'two']]) {
    const put = await request('PUT', `/${acct}/asset-conform/${path}?${sas}`,
      { headers: { 'x-ms-blob-type': 'BlockBlob', 'Content-Length': body.length }, body });
    assert.equal(put.status, 201, put.body);
  }
  assert.equal((await c.getBlobClient('dir/one.txt').downloadToBuffer()).toString(), 'one');
  assert.equal((await c.getBlobClient('dir/two.txt').downloadToBuffer()).toString(), 'two');
  const listed = [];
  for await (const b of c.listBlobsFlat({ prefix: 'dir' })) listed.push(b.name);
  assert.deepEqual(listed, ['dir/one.txt', 'dir/two.txt']);
  const blobSas = generateBlobSASQueryParameters({ containerName: 'asset-conform', blobName: 'dir/one.txt',
    permissions: BlobSASPermissions.parse('r'), expiresOn: hour() }, cred).toString();
  const get = await request('GET', `/${acct}/asset-conform/dir%5Cone.txt?${blobSas}`);
  assert.equal(get.status, 200, get.body);
  assert.equal(get.body, 'one');
});

test('Set Container Metadata and Delete Container honour the date conditions', async () => {
  const box = svc.getContainerClient('asset-dates');
  await box.create();
  const { lastModified } = await box.getProperties();
  const later = new Date(lastModified.getTime() + 3600e3);
  const earlier = new Date(lastModified.getTime() - 3600e3);
  await assert.rejects(box.setMetadata({ a: '1' }, { conditions: { ifModifiedSince: later } }), is(412, 'ConditionNotMet'));
  assert.deepEqual((await box.getProperties()).metadata, {});
  await box.setMetadata({ a: '2' }, { conditions: { ifModifiedSince: earlier } });
  assert.deepEqual((await box.getProperties()).metadata, { a: '2' });
  await assert.rejects(box.delete({ conditions: { ifUnmodifiedSince: earlier } }), is(412, 'ConditionNotMet'));
  await assert.rejects(box.delete({ conditions: { ifModifiedSince: later } }), is(412, 'ConditionNotMet'));
  assert.equal(await box.exists(), true);
  await box.delete({ conditions: { ifUnmodifiedSince: later } });
  assert.equal(await box.exists(), false);
});

test('Set Blob Properties stores an x-ms-blob-content-md5 of any length and returns it', async () => {
  const blob = await seed('props.txt', 'props');
  const odd = Buffer.from('abcde');
  await blob.setHTTPHeaders({ blobContentMD5: odd, blobContentType: 'text/plain' });
  const props = await blob.getProperties();
  assert.deepEqual(Buffer.from(props.contentMD5), odd);
  assert.equal(props.contentType, 'text/plain');
});

test('invalid container names get Azure\'s codes and messages', async () => {
  const bad = await svc.getContainerClient('Bad_Name').create().catch((e) => e);
  assert.equal(bad.statusCode, 400);
  assert.equal(bad.details.errorCode, 'InvalidResourceName');
  assert.match(bad.message, /^The specified resource name contains invalid characters\./);
  const short = await svc.getContainerClient('ab').create().catch((e) => e);
  assert.equal(short.statusCode, 400);
  assert.equal(short.details.errorCode, 'OutOfRangeInput');
  assert.match(short.message, /^The specified resource name length is not within the permissible limits\./);
});

test('Get User Delegation Key with Shared Key or SAS is 403 AuthenticationFailed: Bearer only', async () => {
  const e = await svc.getUserDelegationKey(new Date(), hour()).catch((err) => err);
  assert.equal(e.statusCode, 403);
  assert.equal(e.details.errorCode, 'AuthenticationFailed');
  assert.match(e.details.authenticationErrorDetail ?? e.message, /Only authentication scheme Bearer is supported/);
  const raw = await request('POST', `/${acct}/?restype=service&comp=userdelegationkey&${containerSas('asset-conform', 'r')}`,
    { body: '<KeyInfo><Expiry>2030-01-01T00:00:00Z</Expiry></KeyInfo>' });
  assert.equal(raw.status, 403);
  assert.equal(raw.headers['x-ms-error-code'], 'AuthenticationFailed');
  assert.match(raw.body, /Only authentication scheme Bearer is supported/);
});
