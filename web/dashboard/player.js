// The player panel: plays an asset through this front with hls.js, dash.js or shaka-player
// (their default retry settings; an 8 s forward buffer, so that segments keep being fetched
// while it plays and the strip shows who serves each as it happens), and shows each segment
// coloured by the data center that served it (X-Served-By), the buffer level over time, the
// current layer, stalls and errors, and the front's CMCD figures when steering is on.
import { element, colourOf } from './api.js';
import { FORMATS, streamingPath } from './assets.js';

const FORWARD_BUFFER_SECONDS = 8;
const ENGINES = {
  'hls.js': { scripts: ['vendor/hls.min.js'], protocols: ['hls', 'hls-cmaf'] },
  'dash.js': { scripts: ['vendor/dash.all.min.js'], protocols: ['dash', 'dash-cmaf'] },
  shaka: { scripts: ['vendor/shaka-player.compiled.js'], protocols: ['hls', 'dash', 'hls-cmaf', 'dash-cmaf'] },
};

// Every response the page receives goes past here (players use XMLHttpRequest or fetch): the
// running session gets the media ones with the data center that served them.
const observers = new Set();
function observe(entry) {
  const path = new URL(entry.url, location.href).pathname;
  if (path.startsWith('/front/api/') || path.startsWith('/dashboard/')) return;
  for (const fn of observers) fn(entry);
}
(function wrapNetwork() {
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function wrappedOpen(method, url, ...rest) {
    this.twinUrl = String(url);
    return open.call(this, method, url, ...rest);
  };
  const send = XMLHttpRequest.prototype.send;
  // Only this front's responses: the player plays through it, and another origin's headers
  // (the upload's storage service) are not the page's to read.
  const ours = (url) => new URL(url, location.href).origin === location.origin;
  XMLHttpRequest.prototype.send = function wrappedSend(...args) {
    if (!ours(this.twinUrl)) return send.apply(this, args);
    this.addEventListener('loadend', () => observe({
      url: this.responseURL || this.twinUrl, status: this.status,
      servedBy: this.status ? this.getResponseHeader('X-Served-By') : null,
      cache: this.status ? this.getResponseHeader('X-Cache') : null,
    }));
    return send.apply(this, args);
  };
  const realFetch = window.fetch.bind(window);
  window.fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input.url;
    if (!ours(url)) return realFetch(input, init);
    try {
      const res = await realFetch(input, init);
      observe({ url, status: res.status, servedBy: res.headers.get('X-Served-By'), cache: res.headers.get('X-Cache') });
      return res;
    } catch (e) {
      observe({ url, status: 0, servedBy: null, cache: null });
      throw e;
    }
  };
}());

const loaded = new Map();
function loadScript(src) {
  if (!loaded.has(src)) {
    loaded.set(src, new Promise((resolve, reject) => {
      const s = element('script', { src });
      s.addEventListener('load', resolve);
      s.addEventListener('error', () => reject(new Error(`cannot load ${src}`)));
      document.head.append(s);
    }));
  }
  return loaded.get(src);
}

// The steering manifest's requests (the front's steering server, over any pathway): neither
// segments nor the media manifests.
function isSteering(url) {
  const steering = latestOverview && latestOverview.front.steering;
  if (!steering) return false;
  const path = new URL(url, location.href).pathname;
  return [steering.server, ...steering.pathways.map((p) => p.steering)]
    .some((u) => u && new URL(u).pathname === path);
}

function isManifest(url) {
  return /\/manifest(\(|$)|\.m3u8|\.mpd|QualityLevels\(\d+\)\/Manifest/i.test(url);
}

// One playback: the player, its counters and its timers.
class Session {
  constructor(video, engine, url, cmcd) {
    this.video = video;
    this.engine = engine;
    this.url = url;
    this.cmcdSession = cmcd ? crypto.randomUUID() : null;
    this.stats = { segments: 0, manifests: 0, steering: 0, failed: 0, stalls: 0, stallMs: 0, errors: 0, fatal: 0, servedBy: {} };
    this.buffer = [];
    this.started = false;
    this.stallStart = null;
    this.layer = '–';
    this.onEntry = (entry) => this.note(entry);
    observers.add(this.onEntry);
  }

  note(entry) {
    if (isManifest(entry.url)) { this.stats.manifests += 1; return; }
    if (isSteering(entry.url)) { this.stats.steering += 1; return; }
    const failed = entry.status < 200 || entry.status >= 400;
    if (failed) this.stats.failed += 1;
    else {
      this.stats.segments += 1;
      const dc = entry.servedBy || '?';
      this.stats.servedBy[dc] = (this.stats.servedBy[dc] || 0) + 1;
    }
    const strip = document.getElementById('segment-strip');
    const name = decodeURIComponent(new URL(entry.url, location.href).pathname.split('/').pop());
    strip.append(element('li', {
      'data-dc': entry.servedBy || '?', 'data-failed': failed || null,
      title: `${name}: ${failed ? `failed (${entry.status || 'no answer'})` : `from ${entry.servedBy}, ${entry.cache || ''}`}`,
      text: failed ? '×' : (entry.servedBy || '?'),
    }));
    while (strip.children.length > 240) strip.firstChild.remove();
  }

  async start() {
    const v = this.video;
    v.addEventListener('playing', this.onPlaying = () => {
      this.started = true;
      if (this.stallStart !== null) { this.stats.stallMs += performance.now() - this.stallStart; this.stallStart = null; }
    });
    v.addEventListener('waiting', this.onWaiting = () => {
      if (this.started && !v.seeking && this.stallStart === null) { this.stats.stalls += 1; this.stallStart = performance.now(); }
    });
    for (const src of ENGINES[this.engine].scripts) await loadScript(src);
    if (this.engine === 'hls.js') this.startHls();
    else if (this.engine === 'dash.js') this.startDash();
    else await this.startShaka();
    this.timer = setInterval(() => this.sample(), 500);
  }

  error(fatal) {
    this.stats.errors += 1;
    if (fatal) this.stats.fatal += 1;
  }

  startHls() {
    // hls.js buffers up to maxBufferSize (60 MB) unless maxMaxBufferLength caps it too.
    const config = { maxBufferLength: FORWARD_BUFFER_SECONDS, maxMaxBufferLength: FORWARD_BUFFER_SECONDS };
    if (this.cmcdSession) config.cmcd = { sessionId: this.cmcdSession };
    this.hls = new window.Hls(config);
    this.hls.on(window.Hls.Events.ERROR, (_, data) => this.error(data.fatal));
    this.hls.loadSource(this.url);
    this.hls.attachMedia(this.video);
    this.video.play().catch(() => {});
  }

  startDash() {
    this.dash = window.dashjs.MediaPlayer().create();
    const buffer = { bufferTimeDefault: FORWARD_BUFFER_SECONDS, bufferTimeAtTopQuality: FORWARD_BUFFER_SECONDS,
      bufferTimeAtTopQualityLongForm: FORWARD_BUFFER_SECONDS };
    const settings = { streaming: { buffer } };
    if (this.cmcdSession) settings.streaming.cmcd = { enabled: true, sid: this.cmcdSession };
    this.dash.updateSettings(settings);
    this.dash.on(window.dashjs.MediaPlayer.events.ERROR, () => this.error(true));
    this.dash.initialize(this.video, this.url, true);
  }

  async startShaka() {
    window.shaka.polyfill.installAll();
    this.shaka = new window.shaka.Player();
    await this.shaka.attach(this.video);
    const config = { streaming: { bufferingGoal: FORWARD_BUFFER_SECONDS } };
    // Not nor and nrr: shaka 4.16 bans a failed location by URL substring, and a next-object
    // request naming the other pathway's segment gets that one banned too (docs/steering.md).
    if (this.cmcdSession) {
      config.cmcd = { enabled: true, sessionId: this.cmcdSession,
        includeKeys: ['br', 'bl', 'bs', 'cid', 'd', 'dl', 'mtp', 'ot', 'pr', 'rtp', 'sf', 'sid', 'st', 'su', 'tb', 'v'] };
    }
    this.shaka.configure(config);
    this.shaka.addEventListener('error', (e) => this.error(e.detail && e.detail.severity === 2));
    await this.shaka.load(this.url);
    this.video.play().catch(() => {});
  }

  currentBitrate() {
    try {
      if (this.hls) return this.hls.levels[this.hls.currentLevel]?.bitrate;
      if (this.dash) return this.dash.getCurrentRepresentationForType('video')?.bandwidth;
      if (this.shaka) return this.shaka.getVariantTracks().find((t) => t.active)?.videoBandwidth;
    } catch { /* a player between states */ }
    return undefined;
  }

  sample() {
    const v = this.video;
    let ahead = 0;
    for (let i = 0; i < v.buffered.length; i += 1) {
      if (v.buffered.start(i) <= v.currentTime + 0.1 && v.buffered.end(i) > v.currentTime) ahead = v.buffered.end(i) - v.currentTime;
    }
    this.buffer.push(ahead);
    if (this.buffer.length > 240) this.buffer.shift();
    const bitrate = this.currentBitrate();
    this.layer = v.videoHeight ? `${v.videoWidth}×${v.videoHeight}${bitrate ? `, ${(bitrate / 1000).toFixed(0)} kbit/s` : ''}` : '–';
    renderStats(this);
    renderBuffer(this.buffer);
  }

  async stop() {
    clearInterval(this.timer);
    observers.delete(this.onEntry);
    this.video.removeEventListener('playing', this.onPlaying);
    this.video.removeEventListener('waiting', this.onWaiting);
    if (this.hls) this.hls.destroy();
    if (this.dash) this.dash.destroy();
    if (this.shaka) await this.shaka.destroy();
    this.video.removeAttribute('src');
    this.video.load();
  }
}

function renderStats(session) {
  const s = session.stats;
  const stallMs = s.stallMs + (session.stallStart !== null ? performance.now() - session.stallStart : 0);
  const served = Object.entries(s.servedBy).map(([dc, n]) => `${dc}: ${n}`).join(', ') || '–';
  const rows = [
    ['state', session.stallStart !== null ? 'stalled' : session.video.ended ? 'ended' : session.video.paused ? 'paused' : 'playing'],
    ['position', `${session.video.currentTime.toFixed(1)} s`],
    ['layer', session.layer],
    ['buffer ahead', `${(session.buffer[session.buffer.length - 1] || 0).toFixed(1)} s`],
    ['segments', `${s.segments} (${served})`],
    ['failed requests', String(s.failed)],
    ['stalls', `${s.stalls} (${(stallMs / 1000).toFixed(1)} s)`],
    ['errors', `${s.errors} (${s.fatal} fatal)`],
  ];
  document.getElementById('player-stats').replaceChildren(
    ...rows.flatMap(([k, v]) => [element('dt', { text: k }), element('dd', { text: v, 'data-stat': k })]));
}

function renderBuffer(samples) {
  const chart = document.getElementById('buffer-chart');
  const top = Math.max(FORWARD_BUFFER_SECONDS + 2, ...samples);
  const points = samples.map((v, i) => `${(i * 1200) / 239},${(135 - (v / top) * 115).toFixed(1)}`).join(' ');
  const ns = 'http://www.w3.org/2000/svg';
  const line = document.createElementNS(ns, 'polyline');
  line.setAttribute('points', points);
  line.setAttribute('fill', 'none');
  line.setAttribute('stroke', colourOf('A'));
  line.setAttribute('stroke-width', '1.5');
  const label = document.createElementNS(ns, 'text');
  label.setAttribute('x', '4');
  label.setAttribute('y', '12');
  label.textContent = `seconds buffered (0–${top.toFixed(0)}), last 2 min`;
  chart.replaceChildren(line, label);
}

function renderCmcd(session, overview) {
  const box = document.getElementById('cmcd');
  if (!session || !session.cmcdSession || !overview.front.steering) { box.hidden = true; return; }
  box.hidden = false;
  const mine = overview.front.qoe.sessions.find((s) => s.id === session.cmcdSession);
  const pathways = Object.entries(overview.front.qoe.pathways).map(([id, p]) =>
    element('li', { text: `${id}: ${p.sessions} sessions, ${p.starvation_events} starvations, buffer p50 ${p.buffer_length_ms.p50 ?? '–'} ms` }));
  box.replaceChildren(element('h3', { text: 'CMCD, as this front received it' }),
    element('p', { text: mine ? `this player: ${mine.requests} requests via pathway ${mine.pathway}, ` +
      `${mine.starvation_events} starvations, buffer ${mine.buffer_length_ms ?? '–'} ms` : 'this player: not seen by this front yet' }),
    element('ul', {}, pathways));
}

let session = null;
let latestOverview = null;
let latestAssets = null;

export function updatePlayerAssets(assets) {
  latestAssets = assets;
  const select = document.getElementById('player-asset');
  const current = select.value;
  const options = assets.rows.filter((r) => streamingPath(r)).map((r) => {
    const name = Object.values(r.assets)[0].name;
    return element('option', { value: r.locator_id, text: `${name} (${r.locator_id.slice(-8)})` });
  });
  if (options.map((o) => o.value).join() !== [...select.options].map((o) => o.value).join()) {
    select.replaceChildren(...options);
    if (current) select.value = current;
  }
}

export function updatePlayerOverview(overview) {
  latestOverview = overview;
  renderCmcd(session, overview);
}

function syncEngines() {
  const protocol = document.getElementById('player-protocol').value;
  const engine = document.getElementById('player-engine');
  for (const option of engine.options) option.disabled = !ENGINES[option.value].protocols.includes(protocol);
  if (engine.selectedOptions[0].disabled) engine.value = [...engine.options].find((o) => !o.disabled).value;
}

export function setupPlayer() {
  const legend = document.getElementById('segment-legend');
  legend.replaceChildren(...['A', 'B'].map((dc) => element('span', {},
    element('span', { class: 'swatch', 'data-dc': dc }), ` served by ${dc}`)),
  element('span', { text: '× failed' }));
  document.getElementById('player-protocol').addEventListener('change', syncEngines);
  syncEngines();
  document.getElementById('player-stop').addEventListener('click', async () => {
    if (session) await session.stop();
    session = null;
  });
  document.getElementById('player-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const note = document.getElementById('player-note');
    if (session) await session.stop();
    session = null;
    const row = latestAssets && latestAssets.rows.find((r) => r.locator_id === document.getElementById('player-asset').value);
    if (!row) { note.textContent = 'Choose a published asset.'; return; }
    const protocol = document.getElementById('player-protocol').value;
    const format = FORMATS.find((f) => f.id === protocol);
    const url = `${location.origin}${streamingPath(row)}${format.suffix}`;
    document.getElementById('segment-strip').replaceChildren();
    const steering = Boolean(latestOverview && latestOverview.front.steering);
    session = new Session(document.getElementById('video'), document.getElementById('player-engine').value, url, steering);
    note.textContent = `Playing ${url}`;
    try {
      await session.start();
    } catch (e) {
      note.textContent = `Cannot play: ${e.message}`;
    }
  });
}

// For the end-to-end test and for people at the console: the running session's figures.
window.twinPlayer = () => (session ? { ...session.stats, layer: session.layer, buffer: session.buffer.slice(-1)[0],
  session: session.cmcdSession } : null);
