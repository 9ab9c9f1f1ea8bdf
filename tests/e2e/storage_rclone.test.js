// The storage service driven by Debian's rclone (azureblob backend, use_emulator + endpoint).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { execFileSync } = require('node:child_process');
const { startServer, DEV_KEY } = require('./lib/server');

let dc, remote, fixtures;
const md5hex = (buf) => crypto.createHash('md5').update(buf).digest('hex');

function rclone(...args) {
  return execFileSync('rclone', args, {
    env: { ...process.env, RCLONE_CONFIG: '/dev/null' },
    encoding: 'buffer',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 60000,
  });
}

test.before(async () => {
  dc = await startServer({ devstoreaccount1: DEV_KEY });
  remote = `:azureblob,use_emulator=true,endpoint='${dc.endpoint('devstoreaccount1')}':`;
  fixtures = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-rclone-'));
  fs.writeFileSync(path.join(fixtures, 'empty.bin'), Buffer.alloc(0));
  fs.writeFileSync(path.join(fixtures, 'small.txt'), 'small file\n');
  fs.writeFileSync(path.join(fixtures, 'big.bin'), crypto.randomBytes(5 * 1024 * 1024 + 1));
  fs.mkdirSync(path.join(fixtures, 'sub'));
  fs.writeFileSync(path.join(fixtures, 'sub', 'nested.txt'), 'nested\n');
});

test.after(async () => {
  await dc?.stop();
  dc?.cleanup();
  if (fixtures) fs.rmSync(fixtures, { recursive: true, force: true });
});

function listing(target) {
  const entries = JSON.parse(rclone('lsjson', '-R', '--hash', '--files-only', target).toString());
  return Object.fromEntries(entries.map((e) => [e.Path, e]));
}

test('mkdir, copy a tree, check, lsjson --hash and ranged cat', () => {
  rclone('mkdir', `${remote}rc-a`);
  rclone('copy', fixtures, `${remote}rc-a/f`, '--azureblob-chunk-size', '4M');
  rclone('check', fixtures, `${remote}rc-a/f`);  // throws on any difference
  const files = listing(`${remote}rc-a/f`);
  assert.deepEqual(Object.keys(files).sort(), ['big.bin', 'empty.bin', 'small.txt', 'sub/nested.txt']);
  for (const [name, entry] of Object.entries(files)) {
    const local = fs.readFileSync(path.join(fixtures, name));
    assert.equal(entry.Size, local.length, name);
    assert.equal(entry.Hashes.md5, md5hex(local), name);
  }
  const part = rclone('cat', `${remote}rc-a/f/big.bin`, '--offset', '1000', '--count', '10');
  assert.deepEqual(part, fs.readFileSync(path.join(fixtures, 'big.bin')).subarray(1000, 1010));
});

test('server-side copyto into another container', async () => {
  rclone('copyto', `${remote}rc-a/f/big.bin`, `${remote}rc-b/copied.bin`);
  const copied = listing(`${remote}rc-b`);
  assert.equal(copied['copied.bin'].Hashes.md5, md5hex(fs.readFileSync(path.join(fixtures, 'big.bin'))));
  // It was a Copy Blob (202), not a download and upload. (execFileSync blocked the event loop,
  // so let the server's log lines arrive first.)
  await new Promise((r) => setTimeout(r, 200));
  assert.match(dc.stderr, /method=PUT path="?\/devstoreaccount1\/rc-b\/copied\.bin[^\n]*status=202/);
});

test('sync mirrors additions and deletions, purge removes everything', () => {
  fs.rmSync(path.join(fixtures, 'small.txt'));
  fs.writeFileSync(path.join(fixtures, 'added.txt'), 'added\n');
  rclone('sync', fixtures, `${remote}rc-a/f`, '--checksum');
  rclone('check', fixtures, `${remote}rc-a/f`);
  assert.deepEqual(Object.keys(listing(`${remote}rc-a/f`)).sort(), ['added.txt', 'big.bin', 'empty.bin', 'sub/nested.txt']);
  rclone('purge', `${remote}rc-b`);
  rclone('purge', `${remote}rc-a`);
  const containers = rclone('lsd', remote).toString().trim();
  assert.equal(containers, '');
});
