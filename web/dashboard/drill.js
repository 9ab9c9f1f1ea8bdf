// The drill panel: for each data center's origin, the faults the demo can put on its real
// process (kill, hang, 503, slow, restore, through the demo's drill controller) and the front's
// own drain and enable, which work in any deployment. Every action needs the admin key.
import { adminKey, badge, element, getJson, postAction } from './api.js';

const LABELS = { kill: 'Kill', hang: 'Hang', 503: '503', slow: 'Slow (3 s)', restore: 'Restore', drain: 'Drain', enable: 'Enable' };

async function act(origin, action) {
  const note = document.getElementById('drill-note');
  const key = adminKey();
  if (!key) { note.textContent = 'Actions need the admin key: enter it above.'; return; }
  note.textContent = `${origin}: ${action}…`;
  try {
    const body = await postAction(`/front/api/drill/${encodeURIComponent(origin)}/${encodeURIComponent(action)}`);
    note.textContent = `${origin}: ${action} done${body.state ? ` (now ${body.state})` : ''}`;
  } catch (e) {
    note.textContent = `${origin}: ${action} refused (${e.status}): ${e.message}`;
  }
  await refreshDrill();
}

function processState(drill, name) {
  const state = drill.processes && drill.processes.states ? drill.processes.states[name] : null;
  if (!state) return null;
  return badge(state === 'running' ? 'ok' : 'bad', state);
}

function originCard(drill, origin) {
  const actions = [...drill.process_actions, ...drill.front_actions];
  return element('article', { class: 'card', 'data-drill': origin.name },
    element('h3', {}, element('span', { class: 'swatch', 'data-dc': origin.name }), `Origin ${origin.name}`),
    element('ul', { class: 'checks' },
      element('li', {}, badge(origin.state === 'up' ? 'ok' : 'bad', origin.state), 'front health'),
      origin.drained ? element('li', {}, badge('warn', 'drained'), 'no new requests') : null,
      drill.processes ? element('li', {}, processState(drill, origin.name), 'process') : null),
    element('div', { class: 'actions' }, actions.map((a) => element('button', {
      type: 'button', 'data-action': a, text: LABELS[a] || a, onclick: () => act(origin.name, a),
    }))));
}

export async function refreshDrill() {
  const drill = await getJson('/front/api/drill');
  document.getElementById('drill-cards').replaceChildren(...drill.origins.map((o) => originCard(drill, o)));
  document.getElementById('drill-mode').textContent = drill.controller
    ? (drill.processes && drill.processes.builtin_drill ? "The demo's own drill is running; actions wait for it."
      : "Faults act on the demo's real processes; Restore undoes them.")
    : 'This front has no drill controller (it is not the demo): drain and enable only.';
}

export function setupDrill() {
  const input = document.getElementById('admin-key');
  input.value = adminKey() ? '••••••••' : '';
  document.getElementById('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (input.value && !input.value.startsWith('•')) sessionStorage.setItem('twinorigin-admin-key', input.value);
    input.value = adminKey() ? '••••••••' : '';
  });
}
