// twinorigin serve refuses to start, with a reason naming the service and address, when a port
// is taken, and exits with status 1.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const net = require('node:net');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { BIN, TwinServer, DEV_KEY } = require('./lib/server');

test('a port in use is refused with the service and address named', async () => {
  const blocker = net.createServer();
  await new Promise((r) => blocker.listen(0, '127.0.0.1', r));
  const port = blocker.address().port;
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-cli-'));
  try {
    for (const [flag, service] of [['--media', 'media'], ['--streaming', 'streaming'], ['--storage', 'storage']]) {
      const args = ['serve', '--data', data, '--storage', '127.0.0.1:0', '--media', '127.0.0.1:0', '--streaming', '127.0.0.1:0'];
      args[args.indexOf(flag) + 1] = `127.0.0.1:${port}`;
      const r = spawnSync(BIN, args, { encoding: 'utf8', timeout: 15000 });
      assert.strictEqual(r.status, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`cannot listen for ${service} on 127\\.0\\.0\\.1:${port}: Address already in use`));
    }
  } finally {
    blocker.close();
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('--ready-file announces every listener and account as JSON once they listen', async () => {
  const dc = new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: 'ready-file-media-key-0000000:storea' } });
  await dc.start();
  try {
    const ready = JSON.parse(fs.readFileSync(dc.readyFile, 'utf8'));
    assert.strictEqual(ready.pid, dc.proc.pid);
    assert.deepStrictEqual(ready.storage_accounts, ['storea']);
    assert.match(ready.storage, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepStrictEqual(ready.media_accounts, [{ name: 'mediaa', storage_account: 'storea', api: `${ready.media}/mediaa/api/` }]);
    // Each announced endpoint answers.
    for (const url of [ready.storage, ready.media, ready.streaming])
      assert.strictEqual((await fetch(`${url}/health`)).status, 200, url);
    assert.deepStrictEqual(fs.readdirSync(path.dirname(dc.readyFile)).filter((f) => f.includes('.tmp')), []);
  } finally {
    await dc.stop();
    dc.cleanup();
  }
});
