// `twinorigin demo`: two data centers and a front on this machine, the walkthrough on a short
// generated mezzanine, URLs that stock ffprobe decodes to the full duration through A, B and
// the front, the outage drill with 0 errors and 0 stalls, and a clean stop on SIGINT.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');
const { start, waitForOutput } = require('./lib/twin_cli');

const SECONDS = 4;

// Starts the demo; returns { proc, done, root } once it printed "ready".
async function startDemo(args) {
  const demo = start(['demo', '--seconds', String(SECONDS), ...args]);
  try {
    await waitForOutput(demo.proc, /^ready: /m, 300000);
  } catch (e) {
    await stopDemo(demo);
    throw e;
  }
  demo.root = /^data center A \(pid \d+, (\S+)\/dc-a\)$/m.exec(demo.proc.output())[1];
  return demo;
}

async function stopDemo(demo) {
  if (demo.proc.exitCode === null && !demo.proc.signalCode) demo.proc.kill('SIGINT');
  const timer = setTimeout(() => demo.proc.kill('SIGKILL'), 30000);
  const result = await demo.done;
  clearTimeout(timer);
  return result;
}

function processesUnder(root) {
  const r = spawnSync('pgrep', ['-f', root], { encoding: 'utf8' });
  return r.stdout.trim();
}

function decodedFrames(url) {
  const r = spawnSync('ffprobe', ['-v', 'error', '-select_streams', 'v:0', '-count_frames',
    '-show_entries', 'stream=nb_read_frames', '-of', 'csv=p=0', url], { encoding: 'utf8' });
  assert.strictEqual(r.status, 0, `${url}: ${r.stderr}`);
  // HLS shows every variant as a program; the first line is the selected stream's.
  return Number(r.stdout.split('\n').find((line) => line.trim()));
}

test('demo --no-drill: ready, A, B and the front play HLS and DASH in stock ffprobe, SIGINT stops everything', async () => {
  const demo = await startDemo(['--no-drill']);
  let result;
  try {
    const out = demo.proc.output();
    for (const step of ['upload: mezzanine.mp4', 'encode: a job with "H264 Multiple Bitrate 720p"', 'publish: ',
      'replicate: into B under the same locator Id', 'same-Id locator nb:lid:UUID:'])
      assert.ok(out.includes(step), `${step}\n${out}`);
    const urls = {};
    for (const [, host, section] of out.matchAll(/^  (A|B|front)\n((?: {4}.*\n){3})/gm))
      urls[host] = Object.fromEntries([...section.matchAll(/^ {4}(\w+) +(\S+)$/gm)].map((m) => [m[1], m[2]]));
    assert.deepStrictEqual(Object.keys(urls).sort(), ['A', 'B', 'front']);
    const path = (u) => new URL(u).pathname + new URL(u).search;
    for (const format of ['Smooth', 'HLS', 'DASH']) {
      assert.strictEqual(path(urls.B[format]), path(urls.A[format]));
      assert.strictEqual(path(urls.front[format]), path(urls.A[format]));
    }
    for (const host of ['A', 'B', 'front'])
      for (const format of ['HLS', 'DASH'])
        assert.strictEqual(decodedFrames(urls[host][format]), SECONDS * 25, `${host} ${format}`);
  } finally {
    result = await stopDemo(demo);
  }
  assert.strictEqual(result.code, 0, result.stderr);
  assert.match(result.stdout, /^stopped$/m);
  assert.strictEqual(processesUnder(demo.root), '', 'processes left behind');
  assert.ok(!fs.existsSync(demo.root), 'the temporary data was removed');
});

test('the drill: A killed, restarted, hung and resumed under a real-time player through the front: 0 errors, 0 stalls', async () => {
  const demo = await startDemo([]);
  let result;
  try {
    await waitForOutput(demo.proc, /^drill: \d+ requests through the front/m, 180000);
    const out = demo.proc.output();
    const [, requests, errors, stalls] = /^drill: (\d+) requests through the front, (\d+) errors, (\d+) stalls/m.exec(out);
    assert.ok(Number(requests) > 10, out);
    assert.strictEqual(Number(errors), 0, out);
    assert.strictEqual(Number(stalls), 0, out);
    for (const [phase, origin] of [['A killed \\(SIGKILL\\)', 'B'], ['A restarted', 'A'], ['A hung \\(SIGSTOP\\)', 'B'],
      ['A resumed \\(SIGCONT\\)', 'A']])
      assert.match(out, new RegExp(`^  ${phase}: first response from ${origin} \\d+ ms after`, 'm'));
  } finally {
    result = await stopDemo(demo);
  }
  assert.strictEqual(result.code, 0, result.stderr);
  assert.strictEqual(processesUnder(demo.root), '');
});
