// CORS on the storage service, as a page that uploads straight to storage needs it (the
// dashboard's upload): @azure/storage-blob sets and reads the account's rules (Set and Get Blob
// Service Properties), then a page in headless Chromium, on an origin a rule allows, uploads a
// blob through a SAS URL with fetch (a preflight, then the PUT) and reads it back with its ETag
// exposed; a page on another origin is stopped by the browser and nothing is written. Settings
// this service does not implement (logging on) are refused, not ignored.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('node:http');
const {
  BlobServiceClient, StorageSharedKeyCredential, ContainerSASPermissions, generateBlobSASQueryParameters,
} = require('@azure/storage-blob');
const { startServer, DEV_KEY } = require('./lib/server');
const { launch } = require('./lib/players');

let dc;
let svc;
let cred;
let browser;
const pages = [];

async function pageServer() {
  const server = http.createServer((req, res) => { res.writeHead(200, { 'Content-Type': 'text/html' }); res.end('<p>uploader</p>'); });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  pages.push(server);
  return `http://127.0.0.1:${server.address().port}`;
}

test.before(async () => {
  dc = await startServer({ accounta: DEV_KEY });
  cred = new StorageSharedKeyCredential('accounta', DEV_KEY);
  svc = new BlobServiceClient(dc.endpoint('accounta'), cred);
  ({ browser } = await launch());
});

test.after(async () => {
  if (browser) await browser.close();
  for (const p of pages) p.close();
  await dc?.stop();
  dc?.cleanup();
});

// From a page at `origin`: PUT a block blob through the SAS URL, then GET it; what the page saw.
async function uploadFrom(origin, url) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    return await page.evaluate(async (blobUrl) => {
      try {
        const put = await fetch(blobUrl, {
          method: 'PUT', body: 'hello from a page',
          headers: { 'x-ms-blob-type': 'BlockBlob', 'x-ms-version': '2021-10-04', 'Content-Type': 'text/plain' },
        });
        const get = await fetch(blobUrl, { headers: { 'x-ms-version': '2021-10-04' } });
        return { put: put.status, get: get.status, body: await get.text(), etag: get.headers.get('etag') };
      } catch (e) {
        return { error: e.message };
      }
    }, url);
  } finally {
    await context.close();
  }
}

test('rules set with the SDK are read back, and a page on an allowed origin uploads through a SAS URL', async () => {
  const allowed = await pageServer();
  const other = await pageServer();
  assert.deepEqual((await svc.getProperties()).cors, []);
  await svc.setProperties({
    cors: [{ allowedOrigins: allowed, allowedMethods: 'PUT,GET,HEAD', allowedHeaders: 'x-ms-*,content-type',
      exposedHeaders: 'x-ms-*,etag,content-length', maxAgeInSeconds: 60 }],
  });
  const props = await svc.getProperties();
  assert.deepEqual(props.cors, [{ allowedOrigins: allowed, allowedMethods: 'PUT,GET,HEAD',
    allowedHeaders: 'x-ms-*,content-type', exposedHeaders: 'x-ms-*,etag,content-length', maxAgeInSeconds: 60 }]);

  const container = svc.getContainerClient('uploads');
  await container.create();
  const sas = generateBlobSASQueryParameters({ containerName: 'uploads', permissions: ContainerSASPermissions.parse('rcw'),
    expiresOn: new Date(Date.now() + 3600e3) }, cred).toString();
  const seen = await uploadFrom(allowed, `${container.url}/from-page.txt?${sas}`);
  assert.equal(seen.put, 201, JSON.stringify(seen));
  assert.equal(seen.get, 200);
  assert.equal(seen.body, 'hello from a page');
  const stored = await container.getBlobClient('from-page.txt').getProperties();
  assert.equal(seen.etag, stored.etag);

  const refused = await uploadFrom(other, `${container.url}/from-elsewhere.txt?${sas}`);
  assert.ok(refused.error, JSON.stringify(refused));
  assert.equal(await container.getBlobClient('from-elsewhere.txt').exists(), false);

  // The preflight itself, as the browser sent it: 403 with the service's error for the other origin.
  const res = await fetch(`${container.url}/x`, { method: 'OPTIONS',
    headers: { Origin: other, 'Access-Control-Request-Method': 'PUT' } });
  assert.equal(res.status, 403);
  assert.equal(res.headers.get('x-ms-error-code'), 'CorsPreflightFailure');
  const bare = await fetch(`${container.url}/x`, { method: 'OPTIONS' });
  assert.equal(bare.status, 400);
});

test('settings this service does not implement are refused, and the rules stay as they were', async () => {
  const before = (await svc.getProperties()).cors;
  await assert.rejects(svc.setProperties({ blobAnalyticsLogging: { version: '1.0', deleteProperty: true, read: true,
    write: true, retentionPolicy: { enabled: false } } }), (e) => e.statusCode === 400);
  assert.deepEqual((await svc.getProperties()).cors, before);
  // Rules need the account key (or an account SAS): an anonymous caller gets the service's
  // answer for a private resource.
  const anonymous = new BlobServiceClient(dc.endpoint('accounta'));
  await assert.rejects(anonymous.setProperties({ cors: [] }), (e) => [401, 403, 404].includes(e.statusCode));
  await svc.setProperties({ cors: [] });
  assert.deepEqual((await svc.getProperties()).cors, []);
});
