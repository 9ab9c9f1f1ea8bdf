// A viewer without a browser: plays an HLS stream in real time with a 4 s forward buffer, the way
// a player's buffer controller does. It loads the master and the first media playlist, the init
// segment, then each segment when the buffer falls under the goal; playback starts with the first
// segment and stalls when the playhead reaches the end of the buffer. A failed request (an error
// status or a network error) counts as an error and is retried after 1 s (hls.js's default
// retry delay). Every request is recorded: when, how long, its status and who served it.
'use strict';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function timedFetch(url) {
  const started = Date.now();
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(20000) });
    const body = Buffer.from(await res.arrayBuffer());
    return { started, ms: Date.now() - started, status: res.status, servedBy: res.headers.get('x-served-by') || '', body };
  } catch (e) {
    return { started, ms: Date.now() - started, status: 0, error: String(e.cause?.code || e.message), body: Buffer.alloc(0) };
  }
}

class Fetcher {
  constructor(masterUrl, { bufferGoal = 4, retryDelayMs = 1000 } = {}) {
    this.masterUrl = masterUrl;
    this.bufferGoal = bufferGoal;
    this.retryDelayMs = retryDelayMs;
    this.requests = [];
    this.errors = 0;
    this.stalls = 0;
    this.stallMs = 0;
  }

  async get(url) {
    for (;;) {
      const r = await timedFetch(url);
      this.requests.push({ url, ...r, body: undefined, bytes: r.body.length });
      if (r.status >= 200 && r.status < 300) return r.body;
      this.errors += 1;
      await sleep(this.retryDelayMs);
    }
  }

  // Plays to the end; resolves with the report.
  async play() {
    const master = (await this.get(this.masterUrl)).toString();
    const mediaUri = master.split('\n').find((l) => l && !l.startsWith('#'));
    const mediaUrl = new URL(mediaUri, this.masterUrl).href;
    const playlist = (await this.get(mediaUrl)).toString();
    const init = playlist.match(/#EXT-X-MAP:URI="([^"]+)"/);
    if (init) await this.get(new URL(init[1], mediaUrl).href);
    const segments = [];
    let duration = 0;
    for (const line of playlist.split('\n')) {
      if (line.startsWith('#EXTINF:')) duration = parseFloat(line.slice(8));
      else if (line && !line.startsWith('#')) segments.push({ url: new URL(line, mediaUrl).href, duration });
    }
    let bufferedEnd = 0;  // seconds of media fetched
    let playStart = null;  // wall time at which the playhead was at 0, moved on by stalls
    const playhead = () => (playStart === null ? 0 : Math.min(bufferedEnd, (Date.now() - playStart) / 1000));
    for (const segment of segments) {
      while (playStart !== null && bufferedEnd - playhead() >= this.bufferGoal) await sleep(20);
      await this.get(segment.url);
      const now = Date.now();
      if (playStart === null) {
        playStart = now;
      } else {
        // The playhead reached the end of the buffer while this segment was on its way.
        const ranOut = playStart + bufferedEnd * 1000;
        if (now > ranOut) {
          this.stalls += 1;
          this.stallMs += now - ranOut;
          playStart += now - ranOut;
        }
      }
      bufferedEnd += segment.duration;
    }
    return { errors: this.errors, stalls: this.stalls, stallMs: this.stallMs, requests: this.requests };
  }
}

module.exports = { Fetcher };
