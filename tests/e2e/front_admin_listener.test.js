// A front with an admin listener (`[front] admin_listen`): the viewers' listener proxies viewers
// and answers 404 for the dashboard and the front's own API, which the admin listener serves.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { TwinServer, DEV_KEY } = require('./lib/server');
const { TwinFront, freePort } = require('./lib/front');

let dc, front;
test.before(async () => {
  dc = await new TwinServer({ accounts: { storea: DEV_KEY } }).start();
  const adminPort = await freePort();
  front = await new TwinFront([], { config: '[front]\nprobe_interval_ms = 200\nadmin_key = "k"\n' +
    `admin_listen = "127.0.0.1:${adminPort}"\norigins = [{ name = "A", url = "${dc.streamingUrl}" }]\n` }).start();
});
test.after(async () => {
  await front?.stop();
  front?.cleanup();
  await dc?.stop();
  dc?.cleanup();
});

const key = { Authorization: 'Bearer k' };

test('the dashboard and the admin API are on the admin listener only; viewers on the other', async () => {
  assert.notStrictEqual(front.admin, front.url);
  for (const p of ['/dashboard/', '/front/api/overview', '/front/status', '/dashboard/vendor/hls.min.js']) {
    const onViewers = await fetch(`${front.url}${p}`);
    assert.strictEqual(onViewers.status, 404, p);
    await onViewers.arrayBuffer();
    const onAdmin = await fetch(`${front.admin}${p}`);
    assert.strictEqual(onAdmin.status, 200, p);
    await onAdmin.arrayBuffer();
  }
  const drain = await fetch(`${front.url}/front/origins/A/drain`, { method: 'POST', headers: key });
  assert.strictEqual(drain.status, 404);
  assert.strictEqual((await (await fetch(`${front.admin}/front/status`)).json()).origins[0].drained, false);
  assert.ok(front.events('request').some((l) => /status=404/.test(l) && /admin listener only/.test(l)),
    'the refusal is logged with its cause');

  // On the admin listener the actions work, with the key.
  const drained = await fetch(`${front.admin}/front/api/drill/A/drain`, { method: 'POST', headers: key });
  assert.strictEqual(drained.status, 200);
  assert.strictEqual((await drained.json()).drained, true);
  const enabled = await fetch(`${front.admin}/front/api/drill/A/enable`, { method: 'POST', headers: key });
  assert.strictEqual((await enabled.json()).drained, false);
  // The page offers the viewers' URLs to copy, not its own listener's.
  assert.strictEqual((await (await fetch(`${front.admin}/front/api/assets`)).json()).viewer_url, front.url);

  // Viewers reach the origin through the viewers' listener.
  const viewer = await fetch(`${front.url}/00000000-0000-4000-8000-000000000000/none.ism/manifest`);
  await viewer.arrayBuffer();
  assert.strictEqual(viewer.headers.get('x-served-by'), 'A');
});
