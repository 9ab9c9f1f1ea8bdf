// Starts and stops `twinorigin serve` processes for the end-to-end tests: each on a free
// loopback port with its own temporary data directory.
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BIN = process.env.TWIN_BIN || path.resolve(__dirname, '../../../build/twinorigin');
const DEV_KEY =
  'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';
// A second well-formed key for the other data center's account.
const KEY_B = Buffer.from('twinorigin-test-key-for-account-b-0123456789abcdef').toString('base64');

class TwinServer {
  // mediaAccounts: { name: 'KEY[:STORAGE_ACCOUNT]' }; streamingBase: the origin base for Paths.
  constructor({ accounts, dataDir, port = 0, mediaAccounts, streamingBase, jobWorkers }) {
    this.accounts = accounts;
    this.jobWorkers = jobWorkers;
    this.mediaAccounts = mediaAccounts || {};
    this.streamingBase = streamingBase;
    this.dataDir = dataDir || fs.mkdtempSync(path.join(os.tmpdir(), 'twin-e2e-'));
    this.port = port;
    this.mediaPort = 0;
    this.streamingPort = 0;
    this.stderr = '';
  }

  // Resolves once the server prints its storage and media URLs.
  start() {
    const args = ['serve', '--data', this.dataDir, '--storage', `127.0.0.1:${this.port}`,
      '--media', `127.0.0.1:${this.mediaPort}`, '--streaming', `127.0.0.1:${this.streamingPort}`];
    for (const [name, key] of Object.entries(this.accounts)) args.push('--storage-account', `${name}:${key}`);
    for (const [name, spec] of Object.entries(this.mediaAccounts)) args.push('--media-account', `${name}:${spec}`);
    if (this.streamingBase) args.push('--streaming-base', this.streamingBase);
    if (this.jobWorkers) args.push('--job-workers', String(this.jobWorkers));
    this.proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`server did not start: ${this.stderr}`)), 15000);
      this.proc.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/^storage (http:\/\/\S+)$/m);
        const media = out.match(/^media (http:\/\/\S+)$/m);
        const streaming = out.match(/^streaming (http:\/\/\S+)$/m);
        if (m && media && /^press Ctrl-C/m.test(out) && !this.url) {
          clearTimeout(timer);
          this.url = m[1];
          this.port = Number(new URL(this.url).port);
          this.mediaUrl = media[1];
          this.mediaPort = Number(new URL(this.mediaUrl).port);
          this.streamingUrl = streaming && streaming[1];
          if (this.streamingUrl) this.streamingPort = Number(new URL(this.streamingUrl).port);
          resolve(this);
        }
      });
      this.proc.on('exit', (code) => {
        clearTimeout(timer);
        if (!this.url) reject(new Error(`server exited with ${code}: ${this.stderr}`));
      });
    });
  }

  endpoint(account) { return `${this.url}/${account}`; }

  connectionString(account) {
    return `DefaultEndpointsProtocol=http;AccountName=${account};AccountKey=${this.accounts[account]};` +
      `BlobEndpoint=${this.endpoint(account)};`;
  }

  // Graceful stop (SIGTERM); resolves with the exit code.
  stop() { return this.signal('SIGTERM'); }
  kill9() { return this.signal('SIGKILL'); }

  signal(sig) {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return Promise.resolve(this.proc?.exitCode);
    return new Promise((resolve) => {
      this.proc.once('exit', (code, signal) => resolve(code ?? signal));
      this.proc.kill(sig);
    });
  }

  // Starts again on the same port and data directory.
  async restart() {
    this.url = undefined;
    await this.start();
    return this;
  }

  cleanup() { fs.rmSync(this.dataDir, { recursive: true, force: true }); }
}

async function startServer(accounts) {
  return new TwinServer({ accounts }).start();
}

// A Blob request sent as raw HTTP, so that the path goes out exactly as written (a backslash,
// %5C, a malformed header) where an SDK would normalise it. Resolves with status, headers, body.
function blobRequest(port, method, path, { headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path,
      headers: { 'x-ms-version': '2021-10-04', ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

module.exports = { TwinServer, startServer, blobRequest, DEV_KEY, KEY_B, BIN };
