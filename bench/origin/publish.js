// Publishes a clip on a running data center with the walkthrough's REST calls (the end-to-end
// tests' client) and prints the streaming base URL of its .ism.
// Usage: node publish.js MEDIA_URL ACCOUNT KEY CLIP
'use strict';
const { MediaClient, publishClip } = require('../../tests/e2e/lib/media');

(async () => {
  const [mediaUrl, account, key, clip] = process.argv.slice(2);
  const client = new MediaClient(mediaUrl, account, key);
  await client.token();
  await client.discover();
  const pub = await publishClip(client, clip, 'bench.mp4', 'H264 Multiple Bitrate 1080p');
  console.log(`${pub.origin.Path}${pub.ism}`);
})().catch((e) => { console.error(e); process.exit(1); });
