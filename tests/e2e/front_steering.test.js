// The fronts' steering server, over HTTP: two fronts configured alike (pathway A = front A,
// pathway B = front B, each with its steering URL) answer the same steering manifest; when front
// A is killed, front B puts A last within a few probe intervals and keeps the next reload with
// its own steering server; when A is back, the order returns. Players come in front_steering_players.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const { TwinServer, DEV_KEY, KEY_B } = require('./lib/server');
const { TwinFront, freePort } = require('./lib/front');

let dcA, dcB, frontA, frontB;
test.before(async () => {
  dcA = await new TwinServer({ accounts: { storea: DEV_KEY } }).start();
  dcB = await new TwinServer({ accounts: { storeb: KEY_B } }).start();
  const [portA, portB] = [await freePort(), await freePort()];
  const url = (port) => `http://127.0.0.1:${port}`;
  const steering = `[streaming.steering]\nserver = "${url(portA)}/steer"\ndefault = "A"\nttl_seconds = 2\n` +
    `[[streaming.steering.pathways]]\nid = "A"\nbase = "${url(portA)}"\nsteering = "${url(portA)}/steer"\n` +
    `[[streaming.steering.pathways]]\nid = "B"\nbase = "${url(portB)}"\nsteering = "${url(portB)}/steer"\n`;
  const front = (own, other) => `[front]\nprobe_interval_ms = 200\nprobe_timeout_ms = 200\nrise = 2\nfall = 2\n` +
    `origins = [{ name = "A", url = "${own}" }, { name = "B", url = "${other}" }]\n` + steering;
  frontA = await new TwinFront([], { port: portA, config: front(dcA.streamingUrl, dcB.streamingUrl) }).start();
  frontB = await new TwinFront([], { port: portB, config: front(dcB.streamingUrl, dcA.streamingUrl) }).start();
});
test.after(async () => {
  for (const f of [frontA, frontB]) { await f?.stop(); f?.cleanup(); }
  for (const dc of [dcA, dcB]) { await dc?.stop(); dc?.cleanup(); }
});

// Until front's probes have seen both pathways up: a front started before its peer finds it
// down first (the sanitizer build starts slowly enough for two failed probes).
async function bothUp(front) {
  const started = Date.now();
  for (;;) {
    const status = await (await fetch(`${front.url}/front/status`)).json();
    if (status.steering.pathways.every((p) => p.state === 'up')) return;
    if (Date.now() - started > 15000) throw new Error(`pathways not up: ${JSON.stringify(status.steering)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function steer(front, query = '') {
  const res = await fetch(`${front.url}/steer${query}`);
  assert.strictEqual(res.status, 200);
  assert.strictEqual(res.headers.get('content-type'), 'application/json');
  assert.strictEqual(res.headers.get('cache-control'), 'no-store');
  return res.json();
}

// Polls front's steering manifest until its priority starts with `first`; returns the answer
// and how long it took.
async function until(front, first, query) {
  const started = Date.now();
  for (;;) {
    const answer = await steer(front, query);
    if (answer['PATHWAY-PRIORITY'][0] === first) return { answer, ms: Date.now() - started };
    if (Date.now() - started > 15000) throw new Error(`still ${JSON.stringify(answer)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('two fronts agree; a killed front goes last and comes back first, on the same probes', async (t) => {
  const expected = { VERSION: 1, TTL: 2, 'RELOAD-URI': `${frontB.url}/steer`,
    'PATHWAY-PRIORITY': ['A', 'B'], 'SERVICE-LOCATION-PRIORITY': ['A', 'B'] };
  await bothUp(frontA);
  await bothUp(frontB);
  assert.deepStrictEqual(await steer(frontA, '?_HLS_pathway=A&_HLS_throughput=5000000'), expected);
  assert.deepStrictEqual(await steer(frontB, '?_DASH_pathway=%22A%22&_DASH_throughput=4000000'), expected);
  assert.deepStrictEqual(await steer(frontB), expected);  // dash.js's first request says nothing

  await frontA.kill9();
  const down = await until(frontB, 'B', '?_HLS_pathway=A');
  t.diagnostic(`front A killed: front B answered B first after ${down.ms} ms`);
  // A's steering server is down with it: the reload stays with B's.
  assert.deepStrictEqual(down.answer, { VERSION: 1, TTL: 2, 'RELOAD-URI': `${frontB.url}/steer`,
    'PATHWAY-PRIORITY': ['B', 'A'], 'SERVICE-LOCATION-PRIORITY': ['B', 'A'] });
  assert.ok(frontB.events('pathway_health_changed').some((l) => /pathway=A .*to=down .*priority=B,A/.test(l)),
    frontB.events('pathway_health_changed').join('\n'));

  await frontA.start();  // the same port
  const up = await until(frontB, 'A');
  t.diagnostic(`front A restarted: front B answered A first after ${up.ms} ms`);
  assert.deepStrictEqual(up.answer, expected);
  const fromA = await until(frontA, 'A');
  assert.deepStrictEqual(fromA.answer, expected);
});

test('status, metrics and refusals of the steering path', async () => {
  const status = await (await fetch(`${frontB.url}/front/status`)).json();
  assert.deepStrictEqual(status.steering.priority, ['A', 'B']);
  assert.deepStrictEqual(status.steering.pathways.map((p) => [p.id, p.state]), [['A', 'up'], ['B', 'up']]);
  assert.ok(status.steering.requests_by_pathway.A >= 2, JSON.stringify(status.steering));
  const metrics = await (await fetch(`${frontB.url}/metrics`)).text();
  assert.match(metrics, /^twin_front_pathway_up\{pathway="A"\} 1$/m);
  assert.match(metrics, /^twin_front_steering_requests_total\{pathway="A"\} \d+$/m);
  const post = await fetch(`${frontB.url}/steer`, { method: 'POST' });
  assert.strictEqual(post.status, 405);
  assert.strictEqual(post.headers.get('allow'), 'GET, HEAD');
  // Any other path is still the origins'.
  const other = await fetch(`${frontB.url}/steer/x`);
  assert.strictEqual(other.status, 404);
});

test('retired by the admin: 410 Gone until resumed; over its rate: 429 with Retry-After', async () => {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = `[front]\nadmin_key = "steering-admin"\nsteering_requests_per_second = 2\n` +
    `origins = [{ name = "A", url = "${dcA.streamingUrl}" }]\n` +
    `[streaming.steering]\nserver = "${url}/steer"\ndefault = "A"\nttl_seconds = 3\n` +
    `[[streaming.steering.pathways]]\nid = "A"\nbase = "${url}"\n`;
  const front = await new TwinFront([], { port, config }).start();
  try {
    const admin = (action, key) => fetch(`${url}/front/steering/${action}`,
      { method: 'POST', headers: key ? { authorization: `Bearer ${key}` } : {} });
    assert.strictEqual((await admin('retire')).status, 401);
    assert.strictEqual((await admin('retire', 'wrong')).status, 401);
    assert.strictEqual((await fetch(`${url}/front/steering/retire`)).status, 405);
    assert.strictEqual((await admin('retire', 'steering-admin')).status, 200);
    const gone = await fetch(`${url}/steer?_HLS_pathway=A`);
    assert.strictEqual(gone.status, 410);
    assert.strictEqual(gone.headers.get('cache-control'), 'no-store');
    assert.strictEqual((await admin('resume', 'steering-admin')).status, 200);
    await new Promise((r) => setTimeout(r, 1100));  // the bucket full again: 2 requests
    const statuses = [];
    let limited;
    for (let i = 0; i < 4; ++i) {
      const res = await fetch(`${url}/steer`);
      statuses.push(res.status);
      if (res.status === 429) limited = res;
    }
    assert.deepStrictEqual(statuses.slice(0, 2), [200, 200]);
    assert.ok(limited, JSON.stringify(statuses));
    assert.strictEqual(limited.headers.get('retry-after'), '6');  // twice the TTL
    assert.strictEqual(limited.headers.get('access-control-expose-headers'), 'Retry-After');
    const status = await (await fetch(`${url}/front/status`)).json();
    assert.strictEqual(status.steering.retired, false);
    assert.strictEqual(status.steering.refusals.gone, 1);
    assert.ok(status.steering.refusals.rate >= 1, JSON.stringify(status.steering));
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^twin_front_steering_refused_total\{reason="gone"\} 1$/m);
    assert.ok(front.events('steering_retired').length === 1 && front.events('steering_resumed').length === 1);
  } finally {
    await front.stop();
    front.cleanup();
  }
});

test('CMCD in the query or headers: counted per pathway, kept out of the cache key', async () => {
  // Front B's host names pathway B; CMCD rides on a request the origins answer (a 404 here).
  const target = (cmcd) => `${frontB.url}/no-such-asset/seg.m4s?CMCD=${encodeURIComponent(cmcd)}`;
  const first = await fetch(target('bl=3000,ot=v,sid="e2e-session"'));
  const second = await fetch(target('bl=1000,bs,ot=v,sid="e2e-session"'));
  assert.strictEqual(second.status, first.status);
  const third = await fetch(`${frontB.url}/no-such-asset/seg.m4s`,
    { headers: { 'CMCD-Request': 'bl=2000', 'CMCD-Session': 'sid="e2e-other"' } });
  assert.strictEqual(third.status, first.status);
  const bad = await fetch(target('bl="oops'));
  assert.strictEqual(bad.status, first.status);  // a malformed report never refuses the media
  const status = await (await fetch(`${frontB.url}/front/status`)).json();
  const b = status.qoe.pathways.B;
  assert.ok(b && b.requests >= 3 && b.sessions >= 2 && b.starvation_events >= 1, JSON.stringify(status.qoe));
  const session = status.qoe.sessions.find((s) => s.id === 'e2e-session');
  assert.deepStrictEqual([session.pathway, session.requests, session.starvation_events, session.buffer_length_ms],
    ['B', 2, 1, 1000]);
  assert.ok(status.qoe.malformed_reports >= 1);
  assert.ok(frontB.events('cmcd_ignored').some((l) => /cause=/.test(l)), frontB.events('cmcd_ignored').join('\n'));
  const metrics = await (await fetch(`${frontB.url}/metrics`)).text();
  assert.match(metrics, /^twin_front_cmcd_starvation_events_total\{pathway="B"\} [1-9]\d*$/m);
  assert.match(metrics, /^twin_front_cmcd_buffer_length_seconds_bucket\{pathway="B",le="1"\} [1-9]\d*$/m);
});
