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
const { BIN } = require('./lib/server');

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
