// The failover front as a process (`twinorigin front`), and the fault proxy the failover tests
// put between the front and data center A to make it answer 503, answer late, or cut bodies.
'use strict';
const { spawn } = require('node:child_process');
const http = require('node:http');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { BIN } = require('./server');

class TwinFront {
  // logFile: the log goes there instead of into this.stderr (a benchmark's millions of lines).
  // port: listen there (0: any free port, kept for restarts); config: TOML text for --config.
  constructor(origins, { adminKey, threads, logFile, port = 0, config } = {}) {
    this.logFile = logFile;
    this.port = port;
    this.config = config;
    this.origins = origins;  // [[name, url], …] in priority order
    this.adminKey = adminKey;
    this.threads = threads;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-front-'));
    this.stderr = '';
  }

  start() {
    const readyFile = path.join(this.dir, 'ready.json');
    fs.rmSync(readyFile, { force: true });
    const args = ['front', '--listen', `127.0.0.1:${this.port}`, '--ready-file', readyFile];
    if (this.config) {
      fs.writeFileSync(path.join(this.dir, 'front.toml'), this.config);
      args.push('--config', path.join(this.dir, 'front.toml'));
    }
    for (const [name, url] of this.origins) args.push('--origin', `${name}=${url}`);
    if (this.adminKey) args.push('--admin-key', this.adminKey);
    if (this.threads) args.push('--threads', String(this.threads));
    const log = this.logFile ? fs.openSync(this.logFile, 'a') : 'pipe';
    this.proc = spawn(BIN, args, { stdio: ['ignore', 'ignore', log] });
    if (this.logFile) fs.closeSync(log); else this.proc.stderr.on('data', (d) => { this.stderr += d; });
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const poll = setInterval(() => {
        let ready;
        try { ready = JSON.parse(fs.readFileSync(readyFile, 'utf8')); } catch { ready = undefined; }
        if (ready) {
          clearInterval(poll);
          this.url = ready.front;
          this.admin = ready.admin;  // the admin listener's URL (the same as url without one)
          this.port = Number(new URL(this.url).port);
          resolve(this);
        } else if (Date.now() - started > 10000 || this.proc.exitCode !== null) {
          clearInterval(poll);
          const log = this.logFile ? fs.readFileSync(this.logFile, 'utf8') : this.stderr;
          reject(new Error(`front did not start: ${log}`));
        }
      }, 20);
    });
  }

  // The front's request log lines: { ts (ms since epoch), status, ms, upstream, path }.
  requests() {
    const out = [];
    for (const line of this.stderr.split('\n')) {
      if (!line.includes('event=request')) continue;
      const field = (name) => {
        const m = line.match(new RegExp(`(?:^| )${name}=("(?:[^"\\\\]|\\\\.)*"|\\S+)`));
        return m ? m[1].replace(/^"|"$/g, '') : undefined;
      };
      out.push({ ts: Date.parse(field('ts')), status: Number(field('status')), ms: Number(field('ms')),
        upstream: field('upstream') || '', path: field('path') });
    }
    return out;
  }

  events(name) {
    return this.stderr.split('\n').filter((l) => l.includes(`event=${name}`));
  }

  signal(name) { this.proc.kill(name); }

  kill9() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return Promise.resolve();
    return new Promise((resolve) => { this.proc.once('exit', resolve); this.proc.kill('SIGKILL'); });
  }

  stop() {
    if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode) return Promise.resolve();
    return new Promise((resolve) => {
      this.proc.once('exit', resolve);
      this.proc.kill('SIGCONT');  // a frozen front must run to stop
      this.proc.kill('SIGTERM');
    });
  }

  cleanup() { fs.rmSync(this.dir, { recursive: true, force: true }); }
}

// An HTTP proxy to one origin with a switchable fault: 'pass', '503' (every request), 'slow'
// (the response starts slowMs late), 'reset' (bodies over 4 KiB are cut at half and the
// connection reset). When the origin refuses (killed), the viewer's connection is reset too; when
// it hangs (stopped), so does the proxy.
class FaultProxy {
  constructor(target) {
    this.target = new URL(target);
    this.mode = 'pass';
    this.slowMs = 3000;
    this.agent = new http.Agent({ keepAlive: true });
  }

  start() {
    this.server = http.createServer((req, res) => this.handle(req, res));
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => {
      this.url = `http://127.0.0.1:${this.server.address().port}`;
      resolve(this);
    }));
  }

  handle(req, res) {
    const mode = this.mode;
    if (mode === '503') {
      res.writeHead(503, { 'Content-Type': 'text/plain', 'Content-Length': 12 });
      res.end('unavailable\n');
      return;
    }
    const forward = () => {
      const up = http.request({ host: this.target.hostname, port: this.target.port, method: req.method,
        path: req.url, headers: req.headers, agent: this.agent }, (ur) => {
        res.writeHead(ur.statusCode, ur.headers);
        const length = Number(ur.headers['content-length'] || 0);
        if (mode !== 'reset' || length <= 4096) { ur.pipe(res); return; }
        let sent = 0;
        const half = Math.floor(length / 2);
        ur.on('data', (chunk) => {
          if (sent >= half) return;
          const part = chunk.subarray(0, half - sent);
          sent += part.length;
          res.write(part);
          if (sent >= half) { ur.destroy(); setImmediate(() => res.socket?.destroy()); }
        });
      });
      up.on('error', () => req.socket.destroy());
      res.on('close', () => up.destroy());
      req.pipe(up);
    };
    if (mode === 'slow') setTimeout(forward, this.slowMs); else forward();
  }

  stop() {
    this.agent.destroy();
    this.server.closeAllConnections?.();
    return new Promise((resolve) => this.server.close(resolve));
  }
}

// A loopback port free now, for processes that must name each other before they start.
function freePort() {
  return new Promise((resolve, reject) => {
    const server = require('node:net').createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

module.exports = { TwinFront, FaultProxy, freePort };
