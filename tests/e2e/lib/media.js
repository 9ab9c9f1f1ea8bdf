// The walkthrough's own REST calls to a Media Services v2 account, with Node's fetch: the ACS
// token, the 301 from the global entry, then OData calls with the headers the tutorial sends.
'use strict';
const { spawnSync } = require('node:child_process');

class MediaClient {
  constructor(mediaUrl, account, key) {
    this.mediaUrl = mediaUrl;
    this.account = account;
    this.key = key;
  }

  async token() {
    const form = new URLSearchParams({
      grant_type: 'client_credentials', client_id: this.account, client_secret: this.key,
      scope: 'urn:WindowsAzureMediaServices',
    });
    const res = await fetch(`${this.mediaUrl}/v2/OAuth2-13`, {
      method: 'POST', body: form.toString(),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    this.tokenResponse = await res.json();
    this.accessToken = this.tokenResponse.access_token;
    return res;
  }

  // The tutorial's discovery: call the global entry without following redirects.
  async discover() {
    const res = await fetch(`${this.mediaUrl}/api/`, {
      redirect: 'manual', headers: this.headers(true),
    });
    this.base = res.headers.get('location');
    return res;
  }

  headers(verbose = true, extra = {}) {
    const type = verbose ? 'application/json;odata=verbose' : 'application/json';
    return {
      Authorization: `Bearer ${this.accessToken}`, 'x-ms-version': '2.19',
      DataServiceVersion: '3.0', MaxDataServiceVersion: '3.0', Accept: type, 'Content-Type': type,
      ...extra,
    };
  }

  // method, path relative to the API root, body object; returns { status, body, headers }.
  async call(method, path, body, { verbose = true, headers = {} } = {}) {
    const res = await fetch(this.base + path, {
      method, headers: this.headers(verbose, headers), body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json;
    try { json = text ? JSON.parse(text) : undefined; } catch { json = undefined; }
    return { status: res.status, body: json, text, headers: res.headers };
  }

  // verbose single entity → its d object (throws with the body on an unexpected status)
  async create(set, body, expected = 201) {
    const r = await this.call('POST', set, body);
    if (r.status !== expected) throw new Error(`POST ${set} → ${r.status} ${r.text}`);
    return r.body.d;
  }

  async get(path) {
    const r = await this.call('GET', path);
    if (r.status !== 200) throw new Error(`GET ${path} → ${r.status} ${r.text}`);
    return r.body.d.results ?? r.body.d;
  }
}

const key = (id) => `('${encodeURIComponent(id)}')`;

// .NET "G" format in en-US, as the walkthrough sends StartTime: 6/22/2016 3:04:05 PM
function dotnetGeneral(date) {
  const h = date.getUTCHours();
  const pad = (n) => String(n).padStart(2, '0');
  return `${date.getUTCMonth() + 1}/${date.getUTCDate()}/${date.getUTCFullYear()} ` +
    `${h % 12 || 12}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} ${h < 12 ? 'AM' : 'PM'}`;
}

function makeClip(file, { seconds = 4, size = '640x360', audio = true } = {}) {
  const args = ['-nostdin', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i',
    `testsrc2=size=${size}:rate=25:duration=${seconds}`];
  if (audio) args.push('-f', 'lavfi', '-i', `sine=frequency=440:duration=${seconds}`);
  args.push('-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p');
  if (audio) args.push('-c:a', 'aac', '-shortest');
  args.push(file);
  const r = spawnSync('ffmpeg', args);
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
}

async function waitForJob(client, jobId, timeoutMs = 120000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await client.get(`Jobs${key(jobId)}`);
    if ([3, 4, 5].includes(job.State)) return job;
    if (Date.now() > deadline) throw new Error(`job still in state ${job.State}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

// A client of the data center's media API with its token and the account's API root.
async function connect(dc, account, mediaKey) {
  const client = new MediaClient(dc.mediaUrl, account, mediaKey);
  await client.token();
  await client.discover();
  return client;
}

module.exports = { MediaClient, key, dotnetGeneral, makeClip, waitForJob, connect };

// Uploads a clip as a new asset, encodes it with the 720p preset, marks the .ism primary and
// publishes the output with an origin locator. Returns { input, output, files, origin, read }.
async function publishClip(client, file, name = 'clip.mp4', preset = 'H264 Multiple Bitrate 720p') {
  const { ContainerClient } = require('@azure/storage-blob');
  const asset = await client.create('Assets', { Name: name });
  const w = await client.create('AccessPolicies', { Name: 'upload', DurationInMinutes: 60, Permissions: 2 });
  const sas = await client.create('Locators', { AccessPolicyId: w.Id, AssetId: asset.Id, Type: 1 });
  await new ContainerClient(sas.Path).getBlockBlobClient(name).uploadFile(file);
  await client.call('GET', `CreateFileInfos?assetid='${encodeURIComponent(asset.Id)}'`);
  const job = await client.create('Jobs', {
    Name: `encode ${name}`, InputMediaAssets: [{ __metadata: { uri: `${client.base}Assets${key(asset.Id)}` } }],
    Tasks: [{ Configuration: preset, MediaProcessorId: 'nb:mpid:UUID:ff4df607-d419-42f0-bc17-a481b1331e56',
      TaskBody: '<taskBody><inputAsset>JobInputAsset(0)</inputAsset><outputAsset assetCreationOptions="0">JobOutputAsset(0)</outputAsset></taskBody>' }],
  });
  const done = await waitForJob(client, job.Id, 600000);
  if (done.State !== 3) throw new Error(`encode failed: ${JSON.stringify(done)}`);
  const [output] = await client.get(`Jobs${key(job.Id)}/OutputMediaAssets`);
  const files = await client.get(`Assets${key(output.Id)}/Files`);
  const ism = files.find((f) => f.Name.endsWith('.ism'));
  await client.call('MERGE', `Files${key(ism.Id)}`, { IsPrimary: true });
  const r = await client.create('AccessPolicies', { Name: 'read', DurationInMinutes: 600, Permissions: 1 });
  const read = await client.create('Locators', { AccessPolicyId: r.Id, AssetId: output.Id, Type: 1 });
  const origin = await client.create('Locators', {
    AccessPolicyId: r.Id, AssetId: output.Id, Type: 2, StartTime: new Date(Date.now() - 300000).toISOString(),
  });
  return { input: asset, output, files, ism: ism.Name, origin, read };
}

module.exports.publishClip = publishClip;

// The walkthrough's replication of a published asset from client a's data center to b's: an
// empty asset, a write SAS locator, server-side copies from a's read SAS locator, CreateFileInfos
// and an origin locator with the same Id. Returns b's asset and origin locator.
async function replicate(a, b, pub) {
  const { ContainerClient } = require('@azure/storage-blob');
  const target = await b.create('Assets', { Name: pub.output.Name });
  const policy = await b.create('AccessPolicies', { Name: 'copy', DurationInMinutes: 60, Permissions: 3 });
  const sas = await b.create('Locators', { AccessPolicyId: policy.Id, AssetId: target.Id, Type: 1 });
  const container = new ContainerClient(sas.Path);
  for (const f of pub.files) {
    const source = `${pub.read.BaseUri}/${f.Name}${pub.read.ContentAccessComponent}`;
    const poller = await container.getBlockBlobClient(f.Name).beginCopyFromURL(source, { intervalInMs: 100 });
    const result = await poller.pollUntilDone();
    if (result.copyStatus !== 'success') throw new Error(`copy of ${f.Name}: ${result.copyStatus}`);
  }
  const r = await b.call('GET', `CreateFileInfos?assetid='${target.Id}'`);
  if (r.status !== 204) throw new Error(`CreateFileInfos → ${r.status} ${r.text}`);
  const read = await b.create('AccessPolicies', { Name: 'stream', DurationInMinutes: 600, Permissions: 1 });
  const origin = await b.create('Locators', {
    Id: pub.origin.Id, AccessPolicyId: read.Id, AssetId: target.Id, Type: 2,
    StartTime: new Date(Date.now() - 300000).toISOString(),
  });
  return { asset: target, origin };
}

module.exports.replicate = replicate;
