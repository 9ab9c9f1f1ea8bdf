// Cross-process async copies and the source's Content-MD5: by default the copy inherits it
// without hashing the bytes again, as Azure's Copy Blob does; with storage.copy_verify_md5 the
// target hashes what it received and fails a copy whose bytes differ from it.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { BlobServiceClient, StorageSharedKeyCredential, generateBlobSASQueryParameters, ContainerSASPermissions } = require('@azure/storage-blob');
const { TwinServer, DEV_KEY, KEY_B } = require('./lib/server');

const md5 = (buf) => crypto.createHash('md5').update(buf).digest();
const noRetry = { retryOptions: { maxTries: 1 } };
const service = (dc, account, key) =>
  new BlobServiceClient(dc.endpoint(account), new StorageSharedKeyCredential(account, key), noRetry);

// Copies blob `name` (content `data`, Content-MD5 property `property`) from A to B and returns
// B's view of the result, read before the servers stop.
async function copyAcross(bConfig, data, property) {
  const a = await new TwinServer({ accounts: { storea: DEV_KEY } }).start();
  const b = await new TwinServer({ accounts: { storeb: KEY_B }, config: bConfig }).start();
  try {
    const src = service(a, 'storea', DEV_KEY).getContainerClient('src');
    await src.create();
    const source = src.getBlockBlobClient('clip.mp4');
    await source.uploadData(data);
    if (property) await source.setHTTPHeaders({ blobContentType: 'video/mp4', blobContentMD5: property });
    const sas = generateBlobSASQueryParameters({
      containerName: 'src', permissions: ContainerSASPermissions.parse('r'),
      expiresOn: new Date(Date.now() + 3600e3) }, new StorageSharedKeyCredential('storea', DEV_KEY)).toString();
    const dst = service(b, 'storeb', KEY_B).getContainerClient('dst');
    await dst.create();
    const target = dst.getBlobClient('clip.mp4');
    const poller = await target.beginCopyFromURL(`${source.url}?${sas}`, { intervalInMs: 50 });
    await poller.pollUntilDone().catch(() => {});  // a failed copy rejects; its state is read below
    const props = await target.getProperties();
    const body = props.copyStatus === 'success' ? await target.downloadToBuffer() : Buffer.alloc(0);
    return { props, body, log: b.stderr };
  } finally {
    for (const dc of [a, b]) { await dc.stop(); dc.cleanup(); }
  }
}

test('a copy takes the source Content-MD5 as Azure does, and the bytes arrive whole', async () => {
  const data = crypto.randomBytes(3 * 1024 * 1024 + 17);
  const r = await copyAcross(undefined, data);
  assert.equal(r.props.copyStatus, 'success');
  assert.deepEqual(Buffer.from(r.props.contentMD5), md5(data));
  assert.ok(r.body.equals(data));
});

test('by default a source whose bytes differ from its Content-MD5 is copied with that property', async () => {
  const data = crypto.randomBytes(1024 * 1024);
  const wrong = md5(Buffer.from('something else'));
  const r = await copyAcross(undefined, data, wrong);
  assert.equal(r.props.copyStatus, 'success');
  assert.deepEqual(Buffer.from(r.props.contentMD5), wrong);  // inherited, as Azure's Copy Blob
  assert.ok(r.body.equals(data));
});

test('with storage.copy_verify_md5 such a copy fails, says why, and leaves an empty blob', async () => {
  const data = crypto.randomBytes(1024 * 1024);
  const r = await copyAcross('[storage]\ncopy_verify_md5 = true\n', data, md5(Buffer.from('something else')));
  assert.equal(r.props.copyStatus, 'failed');
  assert.match(r.props.copyStatusDescription, /do not match the source's Content-MD5/);
  assert.equal(r.props.contentLength, 0);
  assert.match(r.log, /event=copy_failed .*Content-MD5/);
});

test('with storage.copy_verify_md5 a sound source copies and keeps its MD5', async () => {
  const data = crypto.randomBytes(2 * 1024 * 1024 + 5);
  const r = await copyAcross('[storage]\ncopy_verify_md5 = true\n', data);
  assert.equal(r.props.copyStatus, 'success');
  assert.deepEqual(Buffer.from(r.props.contentMD5), md5(data));
  assert.ok(r.body.equals(data));
});
