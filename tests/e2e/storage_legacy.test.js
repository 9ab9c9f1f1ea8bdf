// The walkthrough's CopyBlobsFromDifferentStorage loop with the legacy npm SDK azure-storage@2.10.7
// (the same API shape as the tutorial's WindowsAzure.Storage): a container SAS of account A in
// one process, StartCopy into account B in another, polling the properties until not pending.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { promisify } = require('node:util');
const azure = require('azure-storage');
const { startServer, DEV_KEY, KEY_B } = require('./lib/server');

let dcA, dcB;
test.before(async () => {
  dcA = await startServer({ mediaa: DEV_KEY });
  dcB = await startServer({ mediab: KEY_B });
});
test.after(async () => {
  await dcA?.stop();
  await dcB?.stop();
  dcA?.cleanup();
  dcB?.cleanup();
});

function client(dc, account) {
  const svc = azure.createBlobService(dc.connectionString(account));
  const p = (name) => promisify(svc[name]).bind(svc);
  return {
    svc,
    createContainerIfNotExists: p('createContainerIfNotExists'),
    createBlockBlobFromText: p('createBlockBlobFromText'),
    listBlobsSegmented: p('listBlobsSegmented'),
    getBlobProperties: p('getBlobProperties'),
    startCopyBlob: p('startCopyBlob'),
    getBlobToText: p('getBlobToText'),
  };
}

test('CopyBlobsFromDifferentStorage: startCopyBlob from a container SAS, polled until not pending', async () => {
  const a = client(dcA, 'mediaa');
  const b = client(dcB, 'mediab');
  const source = 'asset-0f1e2d3c-source';
  const target = 'asset-0f1e2d3c-target';
  await a.createContainerIfNotExists(source);
  const files = {
    'movie.ism': '<smil/>',
    'movie_1280x720_3400.mp4': crypto.randomBytes(3 << 20).toString('base64'),
    'movie_AAC_128.mp4': crypto.randomBytes(50000).toString('base64'),
  };
  for (const [name, text] of Object.entries(files)) await a.createBlockBlobFromText(source, name, text);

  // The tutorial: target.CreateIfNotExists(), twice is fine.
  const created = await b.createContainerIfNotExists(target);
  assert.equal(created.created, true);
  const again = await b.createContainerIfNotExists(target);
  assert.equal(again.created, false);

  const sas = a.svc.generateSharedAccessSignature(source, null, {
    AccessPolicy: {
      Permissions: azure.BlobUtilities.SharedAccessPermissions.READ + azure.BlobUtilities.SharedAccessPermissions.WRITE,
      Expiry: azure.date.daysFromNow(1),
    },
  });
  const listed = await a.listBlobsSegmented(source, null);
  assert.equal(listed.entries.length, 3);
  for (const entry of listed.entries) {
    const props = await a.getBlobProperties(source, entry.name);
    const sourceUrl = a.svc.getUrl(source, entry.name, sas);
    await b.startCopyBlob(sourceUrl, target, entry.name);
    let state;
    for (let i = 0; i < 100; i++) {
      state = await b.getBlobProperties(target, entry.name);
      if (state.copy.status !== 'pending') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(state.copy.status, 'success', JSON.stringify(state.copy));
    assert.equal(state.contentLength, props.contentLength);
    assert.equal(state.contentSettings.contentMD5, props.contentSettings.contentMD5);
    assert.equal(await b.getBlobToText(target, entry.name), files[entry.name]);
  }
});
