// The data centers panel: for each one, whether its origin, media API and storage answer, its
// probe latency and health over the last five minutes (the front keeps them), its requests and
// errors per second; then the front's cache.
import { badge, element, colourOf, bytes } from './api.js';

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attributes)) el.setAttribute(k, v);
  return el;
}

// Probe latency as a line, health as a band under it (up: the data center's colour; down: a
// hatched red band labelled "down").
function latencyChart(name, samples) {
  const width = 600;
  const height = 110;
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${width} ${height}`, role: 'img',
    'aria-label': `Probe latency and health of ${name} over the last minutes` });
  if (samples.length === 0) return chart;
  const span = Math.max(60, samples[0].age_seconds);
  const x = (age) => width - (age / span) * width;
  const latencies = samples.map((s) => s.origins[name]?.probe_ms ?? null);
  const top = Math.max(5, ...latencies.filter((v) => v !== null));
  const y = (ms) => height - 14 - (ms / top) * (height - 24);
  let path = '';
  samples.forEach((s, i) => {
    const v = latencies[i];
    if (v === null) return;
    path += `${path && latencies[i - 1] !== null ? 'L' : 'M'}${x(s.age_seconds).toFixed(1)},${y(v).toFixed(1)}`;
  });
  samples.forEach((s, i) => {
    const o = s.origins[name];
    if (!o) return;
    const next = samples[i + 1];
    const x0 = x(s.age_seconds);
    const x1 = next ? x(next.age_seconds) : width;
    chart.append(svg('rect', { x: x0, y: height - 8, width: Math.max(1, x1 - x0), height: 8,
      fill: o.up ? colourOf(name) : '#b3261e', 'data-up': o.up }));
  });
  chart.append(svg('path', { d: path, fill: 'none', stroke: colourOf(name), 'stroke-width': 1.5 }));
  const label = svg('text', { x: 2, y: 10 });
  label.textContent = `probe ms (max ${top.toFixed(1)}), last ${Math.round(span / 60)} min; band: health`;
  chart.append(label);
  const downs = samples.filter((s) => s.origins[name] && !s.origins[name].up).length;
  if (downs) {
    const down = svg('text', { x: 2, y: height - 10 });
    down.textContent = `down in ${downs} of ${samples.length} samples`;
    chart.append(down);
  }
  return chart;
}

function check(label, info, okText = 'reachable', badText = 'unreachable') {
  if (!info) return element('li', {}, badge('unknown', 'not known'), `${label}: no profile`);
  return element('li', {}, badge(info.reachable ? 'ok' : 'bad', info.reachable ? okText : badText),
    `${label}`, element('span', { class: 'detail', text: info.detail }));
}

function originCheck(origin) {
  if (!origin) return element('li', {}, badge('unknown', 'not a front origin'), 'origin');
  let state = origin.state === 'up' ? 'ok' : 'bad';
  let text = origin.state;
  if (origin.drained) { state = 'warn'; text = 'drained'; }
  return element('li', {}, badge(state, text), 'origin',
    element('span', { class: 'detail', text: `${origin.url} — ${origin.reason || 'since start'}` }));
}

function figure(label, value) {
  return element('div', {}, element('dt', { text: label }), element('dd', { text: value }));
}

function card(dc, samples) {
  const last = samples.length ? samples[samples.length - 1].origins[dc.name] : null;
  const origin = dc.origin;
  return element('article', { class: 'card', 'data-datacenter': dc.name },
    element('h3', {}, element('span', { class: 'swatch', 'data-dc': dc.name }),
      `Data center ${dc.name}`),
    element('ul', { class: 'checks' },
      originCheck(origin),
      check('media API', dc.media),
      check('storage', dc.storage)),
    element('dl', { class: 'figures' },
      figure('probe latency', origin?.probe_latency_ms != null ? `${origin.probe_latency_ms.toFixed(1)} ms` : '–'),
      figure('requests/s', last ? last.requests_per_second.toFixed(1) : '–'),
      figure('errors/s', last ? last.failures_per_second.toFixed(1) : '–'),
      figure('requests', origin ? String(origin.requests) : '–'),
      figure('failures', origin ? String(origin.failures) : '–')),
    latencyChart(dc.name, samples));
}

function frontCard(front, samples) {
  const c = front.cache;
  const lookups = c.hits + c.misses;
  const last = samples[samples.length - 1];
  const recent = last ? last.cache_hits_per_second + last.cache_misses_per_second : 0;
  return [
    element('h3', { text: 'Front' }),
    element('dl', { class: 'figures' },
      figure('requests', String(front.requests)),
      figure('failovers', String(front.failovers)),
      figure('cache hit ratio', lookups ? `${((100 * c.hits) / lookups).toFixed(1)} %` : '–'),
      figure('hit ratio, last second', recent ? `${((100 * last.cache_hits_per_second) / recent).toFixed(0)} %` : '–'),
      figure('cached', `${c.objects} objects, ${bytes(c.bytes)}`),
      figure('steering', front.steering ? `priority ${front.steering.priority.join(', ')}` : 'off')),
  ];
}

export function renderDatacenters(overview) {
  const cards = document.getElementById('datacenter-cards');
  cards.replaceChildren(...overview.datacenters.map((dc) => card(dc, overview.history)));
  document.getElementById('front-card').replaceChildren(...frontCard(overview.front, overview.history));
}
