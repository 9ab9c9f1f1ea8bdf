// Content steering in the origins' manifests: two data centers with the same [streaming.steering]
// setting (pathway A = A's origin, B = B's origin) answer byte-identical HLS multivariant
// playlists and MPDs that list every pathway with absolute URLs, and every URL listed for a
// pathway answers on that pathway's host.
'use strict';
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { TwinServer, DEV_KEY, KEY_B } = require('./lib/server');
const { makeClip, publishClip, replicate, connect } = require('./lib/media');

let dcA, dcB, work;
test.before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'twin-steer-'));
  makeClip(path.join(work, 'clip.mp4'), { seconds: 4 });
  dcA = await new TwinServer({ accounts: { storea: DEV_KEY }, mediaAccounts: { mediaa: 'media-key-of-account-a-0123456789:storea' } }).start();
  dcB = await new TwinServer({ accounts: { storeb: KEY_B }, mediaAccounts: { mediab: 'media-key-of-account-b-9876543210:storeb' } }).start();
  // The setting names both origins, whose ports are known once they ran: restart with it.
  const config = `[streaming.steering]\nserver = "http://127.0.0.1:9/steer"\ndefault = "A"\n` +
    `[[streaming.steering.pathways]]\nid = "A"\nbase = "${dcA.streamingUrl}"\n` +
    `[[streaming.steering.pathways]]\nid = "B"\nbase = "${dcB.streamingUrl}/"\n`;
  for (const dc of [dcA, dcB]) { await dc.stop(); dc.config = config; await dc.restart(); }
});
test.after(async () => {
  for (const dc of [dcA, dcB]) { await dc?.stop(); dc?.cleanup(); }
  fs.rmSync(work, { recursive: true, force: true });
});


async function body(url) {
  const res = await fetch(url);
  assert.strictEqual(res.status, 200, url);
  return Buffer.from(await res.arrayBuffer());
}

test('both data centers answer the same steered manifests, and each pathway serves what it lists', async () => {
  const a = await connect(dcA, 'mediaa', 'media-key-of-account-a-0123456789');
  const b = await connect(dcB, 'mediab', 'media-key-of-account-b-9876543210');
  const pub = await publishClip(a, path.join(work, 'clip.mp4'));
  const copy = await replicate(a, b, pub);
  const assetPath = `${new URL(pub.origin.Path).pathname}${pub.ism}/`;
  for (const format of ['m3u8-aapl', 'm3u8-cmaf', 'mpd-time-csf', 'mpd-time-cmaf']) {
    const fromA = await body(`${pub.origin.Path}${pub.ism}/manifest(format=${format})`);
    const fromB = await body(`${copy.origin.Path}${pub.ism}/manifest(format=${format})`);
    assert.ok(fromA.equals(fromB), `${format}: the data centers differ`);
    const text = fromA.toString();
    for (const [id, dc] of [['A', dcA], ['B', dcB]]) {
      const directory = `${dc.streamingUrl}${assetPath}`;
      if (format.startsWith('m3u8')) {
        assert.match(text, /^#EXT-X-CONTENT-STEERING:SERVER-URI="http:\/\/127\.0\.0\.1:9\/steer",PATHWAY-ID="A"$/m);
        const variants = [...text.matchAll(new RegExp(`^#EXT-X-STREAM-INF:.*PATHWAY-ID="${id}"\\n(.*)$`, 'gm'))].map((m) => m[1]);
        assert.ok(variants.length >= 2, `${format} ${id}: ${variants.length} variants`);
        const audio = [...text.matchAll(new RegExp(`^#EXT-X-MEDIA:.*GROUP-ID="audio-${id}".*PATHWAY-ID="${id}",URI="([^"]+)"`, 'gm'))].map((m) => m[1]);
        assert.strictEqual(audio.length, 1, `${format} ${id}: audio renditions`);
        for (const uri of [...variants, ...audio]) {
          assert.ok(uri.startsWith(directory), `${uri} is not under ${directory}`);
          const playlist = (await body(uri)).toString();
          const segment = playlist.split('\n').find((l) => l.startsWith('Fragments('));
          await body(new URL(segment, uri).href);  // relative to the pathway's playlist
        }
      } else {
        assert.ok(text.includes(`<BaseURL serviceLocation="${id}">${directory}</BaseURL>`), `${format}: BaseURL of ${id}`);
        assert.ok(text.includes('<ContentSteering defaultServiceLocation="A" queryBeforeStart="true">http://127.0.0.1:9/steer</ContentSteering>'));
        const init = text.match(/initialization="([^"]+)"/)[1].replace('$Bandwidth$', text.match(/bandwidth="(\d+)"/)[1]);
        await body(new URL(init, directory).href);
      }
    }
  }
});
