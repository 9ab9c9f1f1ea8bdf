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
  // config: TOML text passed with --config (the flags still apply on top).
  constructor({ accounts, dataDir, port = 0, mediaAccounts, streamingBase, jobWorkers, config }) {
    this.config = config;
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

  // Resolves once the server has written its ready file (--ready-file): every listener bound.
  start() {
    this.readyFile = path.join(this.dataDir, 'ready.json');
    fs.rmSync(this.readyFile, { force: true });
    const args = ['serve', '--data', this.dataDir, '--storage', `127.0.0.1:${this.port}`,
      '--media', `127.0.0.1:${this.mediaPort}`, '--streaming', `127.0.0.1:${this.streamingPort}`,
      '--ready-file', this.readyFile];
    for (const [name, key] of Object.entries(this.accounts)) args.push('--storage-account', `${name}:${key}`);
    for (const [name, spec] of Object.entries(this.mediaAccounts)) args.push('--media-account', `${name}:${spec}`);
    if (this.streamingBase) args.push('--streaming-base', this.streamingBase);
    if (this.jobWorkers) args.push('--job-workers', String(this.jobWorkers));
    if (this.config) {
      const file = path.join(this.dataDir, 'test-config.toml');
      fs.writeFileSync(file, this.config);
      args.push('--config', file);
    }
    this.proc = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.proc.stderr.on('data', (d) => { this.stderr += d; });
    this.proc.stdout.on('data', () => {});  // the human summary; the ready file is what counts
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        let ready;
        try { ready = JSON.parse(fs.readFileSync(this.readyFile, 'utf8')); } catch { ready = undefined; }
        if (ready) {
          clearInterval(poll);
          this.ready = ready;
          this.url = ready.storage;
          this.port = Number(new URL(this.url).port);
          this.mediaUrl = ready.media;
          this.mediaPort = Number(new URL(this.mediaUrl).port);
          this.streamingUrl = ready.streaming;
          if (this.streamingUrl) this.streamingPort = Number(new URL(this.streamingUrl).port);
          resolve(this);
        } else if (Date.now() - started > 15000) {
          clearInterval(poll);
          reject(new Error(`server did not start: ${this.stderr}`));
        }
      }, 20);
      this.proc.on('exit', (code) => {
        if (this.ready && this.url) return;
        clearInterval(poll);
        reject(new Error(`server exited with ${code}: ${this.stderr}`));
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
    this.ready = undefined;
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
