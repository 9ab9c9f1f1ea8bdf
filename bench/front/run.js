// The failover front against its anchors, side by side in one run: twinorigin front, stock nginx
// (`server B backup`, proxy_next_upstream error timeout http_502 http_503 http_504, connect timeout
// 1 s, read timeout 5 s) and HAProxy (checks inter 1s fall 2 rise 3, retry-on
// all-retryable-errors, option redispatch), each before the same two data centers, each with one
// viewer playing in real time with a 4 s buffer (fetcher.js), while A is killed, hung, answers
// 503, answers 3 s late or cuts bodies. Then cache hits: wrk through the front and through nginx
// proxy_cache serving the same cached objects, one worker each. Prints tables and ratios.
// Usage: node run.js [CLIP_SECONDS] [WRK_SECONDS] [ROUNDS]   (run.sh installs and builds first)
'use strict';
const { spawn, execFile, execFileSync } = require('node:child_process');
const { promisify } = require('node:util');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TwinServer, DEV_KEY, KEY_B } = require('../../tests/e2e/lib/server');
const { MediaClient, makeClip, publishClip, replicate } = require('../../tests/e2e/lib/media');
const { TwinFront, FaultProxy } = require('../../tests/e2e/lib/front');
const { Fetcher } = require('./fetcher');

const CLIP_SECONDS = Number(process.argv[2] || 40);
const WRK_SECONDS = Number(process.argv[3] || 4);
const ROUNDS = Number(process.argv[4] || 3);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const KEY_A_MEDIA = 'bench-media-key-of-account-a-0123', KEY_B_MEDIA = 'bench-media-key-of-account-b-9876';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-bench-front-'));
fs.chmodSync(work, 0o755);  // nginx's workers (nobody) keep their cache below it
const children = [];

function freePort() {
  return Number(execFileSync('python3', ['-c',
    'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])']).toString());
}
async function waitPort(port) {
  for (let i = 0; i < 100; ++i) {
    try { await fetch(`http://127.0.0.1:${port}/`); return; } catch { await sleep(100); }
  }
  throw new Error(`port ${port} never opened`);
}
function run(cmd, args) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr.on('data', () => {});
  children.push(child);
  return child;
}
const percentile = (values, p) => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

function nginxConf(port, a, b, cacheDir) {
  const upstream = cacheDir ? `server ${a};` : `server ${a}; server ${b} backup;`;
  const cache = cacheDir
    ? `proxy_cache_path ${cacheDir} keys_zone=media:16m max_size=512m inactive=1h use_temp_path=off;`
    : '';
  const location = cacheDir ? 'proxy_cache media; proxy_cache_valid 200 1h; proxy_cache_lock on; add_header X-Cache $upstream_cache_status;'
    : 'proxy_next_upstream error timeout http_502 http_503 http_504; add_header X-Served-By $upstream_addr always;';
  return `worker_processes 1;
pid ${work}/nginx-${port}.pid;
error_log ${work}/nginx-${port}-error.log;
events { worker_connections 4096; }
http {
  access_log ${work}/nginx-${port}-access.log;
  keepalive_requests 1000000;
  ${cache}
  upstream origins { ${upstream} keepalive 32; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://origins;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_connect_timeout 1s;
      proxy_read_timeout 5s;
      ${location}
    }
  }
}
`;
}

function haproxyConf(port, a, b) {
  return `global
  maxconn 4096
defaults
  mode http
  timeout connect 1s
  timeout client 30s
  timeout server 5s
  retries 3
  option redispatch
  retry-on all-retryable-errors
frontend viewers
  bind 127.0.0.1:${port}
  default_backend origins
backend origins
  option httpchk GET /health
  http-response set-header X-Served-By %s
  server A ${a} check inter 1s fall 2 rise 3
  server B ${b} check inter 1s fall 2 rise 3 backup
`;
}

async function main() {
  process.stdout.write(`publishing a ${CLIP_SECONDS} s clip in A and replicating it to B\n`);
  makeClip(path.join(work, 'clip.mp4'), { seconds: CLIP_SECONDS });
  const dcA = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: `${KEY_A_MEDIA}:storea` } }).start();
  const dcB = await new TwinServer({ accounts: { storeb: KEY_B }, mediaAccounts: { mediab: `${KEY_B_MEDIA}:storeb` } }).start();
  children.push(dcA.proc, dcB.proc);
  const a = new MediaClient(dcA.mediaUrl, 'mediaa', KEY_A_MEDIA);
  const b = new MediaClient(dcB.mediaUrl, 'mediab', KEY_B_MEDIA);
  for (const c of [a, b]) { await c.token(); await c.discover(); }
  const pub = await publishClip(a, path.join(work, 'clip.mp4'));
  await replicate(a, b, pub);
  const assetPath = `${new URL(pub.origin.Path).pathname}${pub.ism}`;
  const proxy = await new FaultProxy(dcA.streamingUrl).start();
  const aHost = new URL(proxy.url).host, bHost = new URL(dcB.streamingUrl).host;

  const nginxPort = freePort(), haproxyPort = freePort();
  fs.writeFileSync(`${work}/nginx.conf`, nginxConf(nginxPort, aHost, bHost));
  fs.writeFileSync(`${work}/haproxy.cfg`, haproxyConf(haproxyPort, aHost, bHost));
  run('nginx', ['-c', `${work}/nginx.conf`, '-g', 'daemon off;']);
  run('haproxy', ['-f', `${work}/haproxy.cfg`, '-db']);
  await waitPort(nginxPort);
  await waitPort(haproxyPort);
  const nameOf = (servedBy) => {
    const last = servedBy.split(',').pop().trim();
    if (last === 'A' || last === aHost) return 'A';
    if (last === 'B' || last === bHost) return 'B';
    return last || '?';
  };

  const faults = {
    'killed, restarted after 5 s': { hold: 5000, inject: () => dcA.kill9(), restore: () => dcA.restart() },
    'hung (SIGSTOP) for 5 s': { hold: 5000, inject: () => dcA.proc.kill('SIGSTOP'), restore: () => dcA.proc.kill('SIGCONT') },
    '503 for 10 s': { hold: 10000, inject: () => { proxy.mode = '503'; }, restore: () => { proxy.mode = 'pass'; } },
    '3 s to first byte for 8 s': { hold: 8000, inject: () => { proxy.mode = 'slow'; }, restore: () => { proxy.mode = 'pass'; } },
    'bodies cut at half for 8 s': { hold: 8000, inject: () => { proxy.mode = 'reset'; }, restore: () => { proxy.mode = 'pass'; } },
  };
  const rows = [];
  // BENCH_ONLY=cache skips the fault matrix.
  for (const [fault, { hold, inject, restore }] of Object.entries(process.env.BENCH_ONLY === 'cache' ? {} : faults)) {
    const front = await new TwinFront([['A', proxy.url], ['B', dcB.streamingUrl]]).start();
    const manifest = `${assetPath}/manifest(format=m3u8-aapl)`;
    const fronts = { twinorigin: front.url, nginx: `http://127.0.0.1:${nginxPort}`, haproxy: `http://127.0.0.1:${haproxyPort}` };
    const plays = Object.fromEntries(Object.entries(fronts).map(([name, url]) => [name, new Fetcher(`${url}${manifest}`).play()]));
    await sleep(8000);
    const faultAt = Date.now();
    await inject();
    await sleep(hold);
    const restoredAt = Date.now();
    await restore();
    for (const [name, promise] of Object.entries(plays)) {
      const r = await promise;
      const before = r.requests.filter((q) => q.started < faultAt).map((q) => q.ms);
      const during = r.requests.filter((q) => q.started >= faultAt && q.started < restoredAt + 3000).map((q) => q.ms);
      const firstB = r.requests.find((q) => q.started >= faultAt && q.status === 200 && nameOf(q.servedBy) === 'B');
      const back = r.requests.find((q) => q.started >= restoredAt && q.status === 200 && nameOf(q.servedBy) === 'A');
      const base = percentile(before, 50) ?? 0;
      rows.push({ fault, front: name, errors: r.errors, stalls: r.stalls, stallMs: r.stallMs,
        firstBms: firstB ? firstB.started + firstB.ms - faultAt : null,
        p99AddedMs: during.length ? Math.max(0, percentile(during, 99) - base) : null,
        failBackMs: back ? back.started + back.ms - restoredAt : null });
    }
    await front.stop();
    front.cleanup();
    if (dcA.proc.exitCode !== null || dcA.proc.signalCode === 'SIGKILL') await dcA.restart();
    children.push(dcA.proc);
    await sleep(5000);  // every front sees A up again (rise 3 × 1 s)
  }
  console.log('\nfault matrix (one real-time viewer per front, 4 s buffer; times in ms)');
  console.log('fault                         front       errors stalls stall_ms first_2xx_B p99_added fail_back');
  for (const r of rows) {
    console.log(`${r.fault.padEnd(30)}${r.front.padEnd(12)}${String(r.errors).padStart(6)} ${String(r.stalls).padStart(6)} ` +
      `${String(r.stallMs).padStart(8)} ${String(r.firstBms).padStart(11)} ${String(r.p99AddedMs).padStart(9)} ${String(r.failBackMs).padStart(9)}`);
  }

  // Cache hits: the same objects through the front and through nginx proxy_cache, one worker each.
  const cachePort = freePort();
  // Its log to a file, as nginx's access log: collected in this process it cost a core.
  const front = await new TwinFront([['A', dcA.streamingUrl]], { threads: 1, logFile: `${work}/front-cache.log` }).start();
  fs.mkdirSync(`${work}/nginx-cache`);
  fs.writeFileSync(`${work}/nginx-cache.conf`, nginxConf(cachePort, new URL(dcA.streamingUrl).host, '', `${work}/nginx-cache`));
  run('nginx', ['-c', `${work}/nginx-cache.conf`, '-g', 'daemon off;']);
  await waitPort(cachePort);
  const mpd = `${assetPath}/manifest(format=mpd-time-csf)`;
  const mpdText = await (await fetch(`${dcA.streamingUrl}${mpd}`)).text();
  const bandwidths = [...mpdText.matchAll(/bandwidth="(\d+)"/g)].map((m) => m[1]);
  const objects = {
    manifest: mpd,
    video: `${assetPath}/QualityLevels(${bandwidths[0]})/Fragments(video=20000000,format=mpd-time-csf)`,
  };
  console.log('\ncache hits (wrk -t1 -c32, one worker each, requests/s, median of rounds)');
  for (const [kind, p] of Object.entries(objects)) {
    const urls = { twinorigin: `${front.url}${p}`, nginx: `http://127.0.0.1:${cachePort}${p}` };
    for (const u of Object.values(urls)) for (let i = 0; i < 3; ++i) await (await fetch(u)).arrayBuffer();
    const hit = await fetch(urls.twinorigin);
    const size = (await hit.arrayBuffer()).byteLength;
    if (hit.headers.get('x-cache') !== 'HIT') throw new Error(`front did not cache ${p}`);
    const nginxHit = await fetch(urls.nginx);
    await nginxHit.arrayBuffer();
    if (nginxHit.headers.get('x-cache') !== 'HIT') {
      throw new Error(`nginx did not cache ${p}: ${nginxHit.status} ${JSON.stringify([...nginxHit.headers])} ` +
        fs.readFileSync(`${work}/nginx-${cachePort}-error.log`, 'utf8').slice(-2000));
    }
    const rates = { twinorigin: [], nginx: [] };
    for (let round = 0; round < ROUNDS; ++round) {
      for (const [name, u] of Object.entries(urls)) {
        // Not execFileSync: the event loop must keep reading the front's log, or its pipe fills
        // and the front waits on it.
        const out = (await promisify(execFile)('wrk', ['-t1', '-c32', `-d${WRK_SECONDS}s`, u])).stdout;
        const rate = Number(out.match(/Requests\/sec:\s+([\d.]+)/)[1]);
        if (!(rate > 100)) throw new Error(`wrk got almost nothing from ${name}: ${out}`);
        rates[name].push(rate);
      }
    }
    const t = percentile(rates.twinorigin, 50), n = percentile(rates.nginx, 50);
    console.log(`${kind.padEnd(9)} ${String(size).padStart(8)} B  twinorigin ${t.toFixed(0).padStart(7)}  nginx proxy_cache ${n.toFixed(0).padStart(7)}  ratio ${(t / n).toFixed(2)}x`);
  }
  await front.stop();
  front.cleanup();
  await proxy.stop();
}

main().catch((e) => { console.error(e); process.exitCode = 1; }).finally(() => {
  for (const c of children) { try { c.kill('SIGCONT'); c.kill('SIGTERM'); } catch { /* gone */ } }
  setTimeout(() => fs.rmSync(work, { recursive: true, force: true }), 500);
});
