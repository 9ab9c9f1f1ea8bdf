// Bad input gets the Blob service's own error shape (status, x-ms-error-code, XML <Error>), a log
// line naming the cause, and never hurts the server or committed data. Also: account SAS and
// host-style URLs, sent as raw HTTP.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const net = require('node:net');
const {
  BlobServiceClient, StorageSharedKeyCredential, generateAccountSASQueryParameters,
  AccountSASPermissions, AccountSASResourceTypes, AccountSASServices,
} = require('@azure/storage-blob');
const { startServer, blobRequest, DEV_KEY } = require('./lib/server');

let dc, cred, sas, port;
const acct = 'accounta';

function accountSas(permissions, resourceTypes) {
  return generateAccountSASQueryParameters({
    permissions: AccountSASPermissions.parse(permissions),
    resourceTypes: AccountSASResourceTypes.parse(resourceTypes).toString(),
    services: AccountSASServices.parse('b').toString(),
    expiresOn: new Date(Date.now() + 3600e3),
  }, cred).toString();
}

const request = (method, path, options) => blobRequest(port, method, path, options);

function rawExchange(text) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d) => { out += d; });
    socket.on('close', () => resolve(out));
    socket.on('error', () => resolve(out));
    setTimeout(() => socket.destroy(), 3000);
  });
}

function assertError(res, status, code) {
  assert.equal(res.status, status, res.body);
  assert.equal(res.headers['x-ms-error-code'], code);
  if (res.body) {
    assert.equal(res.headers['content-type'], 'application/xml');
    assert.match(res.body, new RegExp(`<Error><Code>${code}</Code><Message>`));
  }
}

test.before(async () => {
  dc = await startServer({ [acct]: DEV_KEY });
  port = dc.port;
  cred = new StorageSharedKeyCredential(acct, DEV_KEY);
  sas = accountSas('rwdlac', 'sco');
  const svc = new BlobServiceClient(dc.endpoint(acct), cred);
  await svc.getContainerClient('asset-keep').create();
  await svc.getContainerClient('asset-keep').getBlockBlobClient('kept.txt').upload('committed', 9);
});

test.after(async () => {
  await dc?.stop();
  dc?.cleanup();
});

test('malformed x-ms-version is refused; any well-formed one, even from the future, is accepted', async () => {
  assertError(await request('GET', `/${acct}/asset-keep?restype=container&${sas}`, { headers: { 'x-ms-version': 'banana' } }), 400, 'InvalidHeaderValue');
  const future = await request('GET', `/${acct}/asset-keep?restype=container&${sas}`, { headers: { 'x-ms-version': '2099-12-31' } });
  assert.equal(future.status, 200);
  assert.equal(future.headers['x-ms-version'], '2099-12-31');
});

test('names, block ids, XML and operations that are not valid', async () => {
  assertError(await request('PUT', `/${acct}/ab?restype=container&${sas}`), 400, 'OutOfRangeInput');
  assertError(await request('PUT', `/${acct}/Bad_Name?restype=container&${sas}`), 400, 'InvalidResourceName');
  assertError(await request('PUT', `/${acct}/asset-keep/b.bin?comp=block&blockid=!!&${sas}`, { body: 'x' }), 400, 'InvalidQueryParameterValue');
  assertError(await request('PUT', `/${acct}/asset-keep/b.bin?comp=blocklist&${sas}`, { body: '<BlockList><Latest>' }), 400, 'InvalidXmlDocument');
  assertError(await request('PUT', `/${acct}/asset-keep/b.bin?comp=bogus&${sas}`, { body: '' }), 400, 'InvalidQueryParameterValue');
  assertError(await request('PUT', `/${acct}/asset-keep/page.bin?${sas}`, { headers: { 'x-ms-blob-type': 'PageBlob' }, body: '' }), 400, 'InvalidHeaderValue');
  assertError(await request('GET', `/nosuchaccount/c?restype=container&${sas}`), 404, 'ResourceNotFound');
  assertError(await request('GET', `/${acct}/asset-keep?restype=container&comp=list&maxresults=-3&${sas}`), 400, 'InvalidQueryParameterValue');
  assertError(await request('GET', `/${acct}/asset-keep/kept.txt?${sas}`, { headers: { 'x-ms-range': 'bytes=9-20' } }), 416, 'InvalidRange');
  assertError(await request('PUT', `/${acct}/asset-keep/kept.txt?${sas}`, {
    headers: { 'x-ms-blob-type': 'BlockBlob', 'If-Match': '"0xNOPE"' }, body: 'overwrite' }), 412, 'ConditionNotMet');
});

test('authentication failures', async () => {
  assertError(await request('GET', `/${acct}/asset-keep?restype=container&sv=2021-10-04&ss=b&srt=c&sp=r&se=2099-01-01&sig=AAAA`), 403, 'AuthenticationFailed');
  assertError(await request('GET', `/${acct}/asset-keep?restype=container`, { headers: { Authorization: 'SharedKey nocolon' } }), 400, 'InvalidAuthenticationInfo');
  assertError(await request('GET', `/${acct}/asset-keep?restype=container`, { headers: { Authorization: 'Bearer abc' } }), 400, 'InvalidAuthenticationInfo');
  const anonymous = await request('GET', `/${acct}/asset-keep/kept.txt`);
  assertError(anonymous, 404, 'ResourceNotFound');
  // An account SAS without the container resource type cannot create containers.
  assertError(await request('PUT', `/${acct}/asset-new?restype=container&${accountSas('rwdlac', 'o')}`), 403, 'AuthorizationResourceTypeMismatch');
  assertError(await request('DELETE', `/${acct}/asset-keep/kept.txt?${accountSas('rl', 'sco')}`), 403, 'AuthorizationPermissionMismatch');
});

test('oversized and garbled requests get an answer and leave the server healthy', async () => {
  const huge = await request('PUT', `/${acct}/asset-keep/huge.bin?${sas}`, {
    headers: { 'x-ms-blob-type': 'BlockBlob', 'Content-Length': String(6 * 1024 * 1024 * 1024) } });
  assertError(huge, 413, 'RequestBodyTooLarge');
  const garbage = await rawExchange('THIS IS NOT HTTP\r\n\r\n');
  assert.match(garbage, /^HTTP\/1\.1 400 /);
  assert.match(garbage, /x-ms-error-code: InvalidInput/i);
  const bigHeader = await rawExchange(`GET /${acct}/asset-keep HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40000)}\r\n\r\n`);
  assert.match(bigHeader, /^HTTP\/1\.1 431 /);
  const truncated = await rawExchange(`PUT /${acct}/asset-keep/trunc.bin?${sas} HTTP/1.1\r\nHost: x\r\nx-ms-blob-type: BlockBlob\r\nContent-Length: 100\r\n\r\nonly-part`);
  assert.equal(truncated, '');  // the client closed first: nothing is stored
  await new Promise((r) => setTimeout(r, 100));
  assert.equal((await request('GET', '/health')).status, 200);
  assertError(await request('HEAD', `/${acct}/asset-keep/trunc.bin?${sas}`), 404, 'BlobNotFound');
  const kept = await request('GET', `/${acct}/asset-keep/kept.txt?${sas}`);
  assert.equal(kept.body, 'committed');
  assert.match(dc.stderr, /cause="bad container name/);
  assert.match(dc.stderr, /cause="SAS signature mismatch"/);
});

test('a client that vanishes mid-download does not hurt the server', async () => {
  const big = Buffer.alloc(16 * 1024 * 1024, 1);
  const put = await request('PUT', `/${acct}/asset-keep/big.bin?${sas}`, { headers: { 'x-ms-blob-type': 'BlockBlob' }, body: big });
  assert.equal(put.status, 201);
  for (let i = 0; i < 5; i++) {
    await new Promise((resolve) => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`GET /${acct}/asset-keep/big.bin?${sas} HTTP/1.1\r\nHost: x\r\n\r\n`);
      });
      socket.once('data', () => { socket.destroy(); resolve(); });
      socket.on('error', resolve);
    });
  }
  await new Promise((r) => setTimeout(r, 200));
  assert.equal((await request('GET', '/health')).status, 200);
  const again = await request('GET', `/${acct}/asset-keep/big.bin?${sas}`);
  assert.equal(again.body.length, big.length);
});

test('readers racing an overwriting writer always get one whole version', async () => {
  const size = 200 * 1024;  // above the pack limit: each version has its own file, dropped on overwrite
  const put = (c) => request('PUT', `/${acct}/asset-keep/race.bin?${sas}`, {
    headers: { 'x-ms-blob-type': 'BlockBlob' }, body: Buffer.alloc(size, c) });
  assert.equal((await put('a')).status, 201);
  let writing = true;
  const writer = (async () => {
    for (let i = 0; i < 150; i++) assert.equal((await put(i % 2 ? 'a' : 'b')).status, 201);
    writing = false;
  })();
  const reader = async () => {
    let reads = 0;
    while (writing) {
      const res = await request('GET', `/${acct}/asset-keep/race.bin?${sas}`);
      assert.equal(res.status, 200, res.body.slice(0, 300));
      assert.equal(res.body.length, size);
      assert.ok(res.body === 'a'.repeat(size) || res.body === 'b'.repeat(size), 'a torn read');
      reads++;
    }
    return reads;
  };
  const counts = await Promise.all([reader(), reader(), reader(), writer]);
  assert.ok(counts[0] + counts[1] + counts[2] > 10);
});

test('host-style URLs name the account in the Host header', async () => {
  const created = await request('PUT', `/asset-hoststyle?restype=container&${sas}`, { headers: { Host: `${acct}.blob.localhost:${port}` } });
  assert.equal(created.status, 201, created.body);
  const put = await request('PUT', `/asset-hoststyle/dir/a.txt?${sas}`, {
    headers: { Host: `${acct}.blob.localhost:${port}`, 'x-ms-blob-type': 'BlockBlob' }, body: 'host style' });
  assert.equal(put.status, 201, put.body);
  const viaPath = await request('GET', `/${acct}/asset-hoststyle/dir/a.txt?${sas}`);
  assert.equal(viaPath.body, 'host style');
  const list = await request('GET', `/${acct}/?comp=list&prefix=asset-host&${sas}`);
  assert.match(list.body, /<Name>asset-hoststyle<\/Name>/);
});
