// kill -9 during parallel uploads and during cross-process copies: after a restart every
// acknowledged blob is intact byte for byte, and no torn blob is listed.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { BlobServiceClient, StorageSharedKeyCredential, generateBlobSASQueryParameters, ContainerSASPermissions } = require('@azure/storage-blob');
const { TwinServer, DEV_KEY, KEY_B } = require('./lib/server');

const md5 = (buf) => crypto.createHash('md5').update(buf).digest('base64');
const noRetry = { retryOptions: { maxTries: 1 } };

function service(dc, account, key) {
  return new BlobServiceClient(dc.endpoint(account), new StorageSharedKeyCredential(account, key), noRetry);
}

// Every listed blob must read back whole and match its stored MD5.
async function assertNoTornBlobs(container) {
  let count = 0;
  for await (const item of container.listBlobsFlat()) {
    const data = await container.getBlobClient(item.name).downloadToBuffer();
    assert.equal(data.length, item.properties.contentLength, item.name);
    if (item.properties.contentMD5 && item.properties.contentMD5.length > 0) {
      assert.equal(md5(data), Buffer.from(item.properties.contentMD5).toString('base64'), item.name);
    }
    count++;
  }
  return count;
}

test('kill -9 during parallel uploads loses no acknowledged blob', async () => {
  const dc = await new TwinServer({ accounts: { mediaa: DEV_KEY } }).start();
  try {
    const container = service(dc, 'mediaa', DEV_KEY).getContainerClient('asset-crash');
    await container.create();
    const acknowledged = new Map();
    let stop = false;
    const worker = async (w) => {
      for (let i = 0; !stop; i++) {
        const size = i % 4 === 3 ? 5 * 1024 * 1024 + w : 1000 + w * 17 + i;
        const data = crypto.randomBytes(size);
        const name = `w${w}/blob-${i}.bin`;
        try {
          await container.getBlockBlobClient(name).uploadData(data, { maxSingleShotSize: 4 * 1024 * 1024, blockSize: 2 * 1024 * 1024 });
          acknowledged.set(name, md5(data));
        } catch {
          return;  // the server died under this request: not acknowledged
        }
      }
    };
    const workers = Array.from({ length: 8 }, (_, w) => worker(w));
    await new Promise((r) => setTimeout(r, 1500));
    await dc.kill9();
    stop = true;
    await Promise.all(workers);
    assert.ok(acknowledged.size > 10, `only ${acknowledged.size} uploads were acknowledged`);

    await dc.restart();
    for (const [name, sum] of acknowledged) {
      const data = await container.getBlobClient(name).downloadToBuffer();
      assert.equal(md5(data), sum, name);
    }
    const listed = await assertNoTornBlobs(container);
    assert.ok(listed >= acknowledged.size);
  } finally {
    await dc.stop();
    dc.cleanup();
  }
});

test('kill -9 of the target during a cross-process copy: the copy resumes and completes', async () => {
  const r = await copyScenario('target');
  assert.equal(r.status, 'success');
  assert.equal(r.md5, r.expected);
});

test('kill -9 of the source during a cross-process copy: failed, no partial blob', async (t) => {
  const r = await copyScenario('source');
  t.diagnostic(`the copy ended ${r.status}`);
  if (r.status === 'success') {
    // The copy beat the kill: it must then be whole.
    assert.equal(r.md5, r.expected);
  } else {
    assert.equal(r.status, 'failed');
    assert.equal(r.length, 0);
    assert.ok(r.description.length > 0);
    assert.equal(r.listedTorn, 0);
  }
});

// Runs the scenario and reads everything needed before the servers are stopped.
async function copyScenario(killWhich) {
  const a = await new TwinServer({ accounts: { mediaa: DEV_KEY } }).start();
  const b = await new TwinServer({ accounts: { mediab: KEY_B } }).start();
  try {
    const src = service(a, 'mediaa', DEV_KEY).getContainerClient('asset-src');
    await src.create();
    const data = crypto.randomBytes(96 * 1024 * 1024);
    await src.getBlockBlobClient('movie.mp4').uploadData(data, { blockSize: 8 * 1024 * 1024, concurrency: 4 });
    const sas = generateBlobSASQueryParameters({
      containerName: 'asset-src', permissions: ContainerSASPermissions.parse('r'),
      expiresOn: new Date(Date.now() + 3600e3) }, new StorageSharedKeyCredential('mediaa', DEV_KEY)).toString();
    const dst = service(b, 'mediab', KEY_B).getContainerClient('asset-dst');
    await dst.create();
    const target = dst.getBlobClient('movie.mp4');
    await target.beginCopyFromURL(`${src.getBlobClient('movie.mp4').url}?${sas}`, { intervalInMs: 100 });
    await (killWhich === 'target' ? b : a).kill9();
    if (killWhich === 'target') await b.restart();
    let props;
    for (let i = 0; i < 300; i++) {
      props = await target.getProperties();
      if (props.copyStatus !== 'pending') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const body = props.copyStatus === 'success' ? await target.downloadToBuffer() : Buffer.alloc(0);
    const listedTorn = props.copyStatus === 'success' ? 0 : (await assertNoTornBlobs(dst)) - 1;  // the failed blob itself is empty
    return {
      status: props.copyStatus, length: props.contentLength, description: props.copyStatusDescription || '',
      md5: md5(body), expected: md5(data), listedTorn,
    };
  } finally {
    await a.stop();
    await b.stop();
    a.cleanup();
    b.cleanup();
  }
}
