// The OEM console: reads the management API every second and draws what it finds.
// No library, no external resource; the server's Content-Security-Policy allows this file only.
'use strict';

const SVG_NS = 'http://www.w3.org/2000/svg';
const COLOURS = ['#0072b2', '#e69f00', '#009e73', '#cc79a7', '#d55e00', '#56b4e9', '#8c564b', '#7f7f7f', '#bcbd22', '#17becf'];
const STATE_COLOURS = { IDLE: '#bbbbbb', PENDING: '#56b4e9', INSTRUCTED: '#e69f00', COMMITTED: '#009e73', FAILED: '#d55e00', ROLLED_BACK: '#cc79a7' };
let selected = null;
let role = 'viewer';
let ticks = 0;

async function api(path, options = {}) {
  const response = await fetch('/api/v1' + path, { credentials: 'same-origin', ...options });
  const body = await response.json();
  if (!response.ok) {
    throw new Error(body.reason + ': ' + body.detail);
  }
  return body;
}

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG_NS, name);
  Object.entries(attributes).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function row(cells) {
  const tr = document.createElement('tr');
  cells.forEach(c => {
    const td = document.createElement('td');
    if (c instanceof Node) td.appendChild(c); else td.textContent = c;
    tr.appendChild(td);
  });
  return tr;
}

function fill(tableId, rows) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren(...rows);
}

// Horizontal bars, one per [label, count], each in its own colour.
function bars(svgId, entries, colourOf) {
  const svg = document.getElementById(svgId);
  const max = Math.max(1, ...entries.map(e => e[1]));
  const height = Math.max(30, entries.length * 22 + 8);
  svg.setAttribute('height', height);
  svg.replaceChildren();
  svg.setAttribute('data-bars', entries.length);
  if (entries.length === 0) svg.appendChild(el('text', { x: 8, y: 18 }, 'none'));
  entries.forEach(([label, count], i) => {
    const y = 4 + i * 22;
    svg.appendChild(el('text', { x: 150, y: y + 13, 'text-anchor': 'end' }, label));
    svg.appendChild(el('rect', { class: 'bar', x: 156, y, width: Math.max(1, 220 * count / max), height: 16, fill: colourOf(label, i) }));
    svg.appendChild(el('text', { x: 160 + 220 * count / max, y: y + 13 }, String(count)));
  });
}

// The simulator report's charts, drawn by the server (ota-charts) and shown as images.
function charts(campaign, timeline) {
  const base = '/api/v1/campaigns/' + encodeURIComponent(campaign) + '/charts/';
  document.getElementById('committed-over-time').src = base + 'committed-over-time.svg?n=' + ticks;
  document.getElementById('time-to-commit').src = base + 'time-to-commit.svg?n=' + ticks;
  const t = timeline.timeToCommit;
  document.getElementById('ttc-summary').textContent = t.count === 0 ? '(no commits yet)'
    : '(' + t.count + ' commits, median ' + (t.p50Millis / 1000).toFixed(2) + ' s, p99 ' + (t.p99Millis / 1000).toFixed(2) + ' s)';
}

function progress(w) {
  const svg = el('svg', { width: 120, height: 12 });
  const part = n => 120 * n / Math.max(1, w.members);
  svg.appendChild(el('rect', { x: 0, y: 0, width: 120, height: 12, fill: '#eeeeee' }));
  svg.appendChild(el('rect', { x: 0, y: 0, width: part(w.committed), height: 12, fill: STATE_COLOURS.COMMITTED }));
  svg.appendChild(el('rect', { x: part(w.committed), y: 0, width: part(w.failed), height: 12, fill: STATE_COLOURS.FAILED }));
  return svg;
}

async function showCampaign() {
  if (!selected) return;
  const k = await api('/campaigns/' + encodeURIComponent(selected));
  document.getElementById('campaign').hidden = false;
  document.getElementById('campaign-id').textContent = k.campaign;
  document.getElementById('campaign-state').textContent = k.state;
  document.getElementById('campaign-cause').textContent = k.cause || '';
  document.getElementById('campaign').dataset.currentWave = k.currentWave;
  fill('waves', k.waves.map(w => {
    const tr = row([String(w.index), w.step, w.state, String(w.members), String(w.committed), String(w.failed), String(w.awaiting), progress(w)]);
    tr.dataset.wave = w.index;
    tr.dataset.state = w.state;
    return tr;
  }));
  const shadows = !!k.shadow && !k.shadowDecision && k.state !== 'CREATED' && !k.ended;
  const enabled = { pause: k.state === 'RUNNING', resume: k.state === 'PAUSED', abort: !k.ended, rollback: k.state !== 'CREATED' && k.state !== 'ROLLED_BACK',
    'shadow-promote': shadows, 'shadow-discard': shadows };
  document.querySelectorAll('#actions button').forEach(b => { b.disabled = !enabled[b.dataset.action]; });
  if (ticks % 3 === 0) {
    charts(selected, await api('/campaigns/' + encodeURIComponent(selected) + '/timeline'));
  }
}

async function showCampaigns() {
  const page = await api('/campaigns?limit=500');
  if (!selected && page.items.length > 0) {
    const running = page.items.find(k => k.state === 'RUNNING' || k.state === 'PAUSED');
    selected = (running || page.items[page.items.length - 1]).id;
  }
  fill('campaigns', page.items.map(k => {
    const tr = row([k.id, k.release, k.state, k.currentWave + '/' + k.waveCount, k.updatedAt]);
    if (k.id === selected) tr.className = 'selected';
    tr.addEventListener('click', () => { selected = k.id; refresh(); });
    return tr;
  }));
}

async function showFleet() {
  const fleet = await api('/fleet');
  bars('fleet-by-state', Object.entries(fleet.byState), label => STATE_COLOURS[label] || '#888888');
  bars('fleet-by-version', Object.entries(fleet.byVersion), (label, i) => COLOURS[i % COLOURS.length]);
  const releases = await api('/releases?limit=500');
  fill('releases', releases.items.map(r => row([r.id, String(r.securityVersion), r.supplier, r.publishedAt])));
  const refusals = await api('/refusals');
  bars('dead-letters', Object.entries(refusals.deadLetters), () => '#d55e00');
  bars('status-refused', Object.entries(refusals.statusRefused), () => '#cc79a7');
}

async function act(action) {
  const result = document.getElementById('action-result');
  try {
    const init = { method: 'POST', headers: { 'X-Wasmota-Console': '1' } };
    if (action === 'shadow-discard') {
      const reason = window.prompt('Why discard the shadows? Each vehicle reports it.', '');
      if (reason === null) return;
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify({ reason: reason.slice(0, 200) });
    }
    const k = await api('/campaigns/' + encodeURIComponent(selected) + '/' + action, init);
    result.className = '';
    result.textContent = action + ': campaign ' + k.campaign + ' is ' + k.state;
  } catch (e) {
    result.className = 'refused';
    result.textContent = e.message;
  }
  refresh();
}

async function refresh() {
  try {
    await showCampaigns();
    await showCampaign();
    if (ticks % 3 === 0) await showFleet();
    ticks++;
    document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString();
  } catch (e) {
    document.getElementById('updated').textContent = 'not updated: ' + e.message;
  }
}

async function start() {
  const me = await api('/whoami');
  role = me.role;
  document.getElementById('who').textContent = me.actor + ' (' + me.role + ')';
  document.getElementById('actions').hidden = role !== 'operator';
  document.querySelectorAll('#actions button').forEach(b => b.addEventListener('click', () => act(b.dataset.action)));
  await refresh();
  setInterval(refresh, 1000);
}

start().catch(e => { document.getElementById('who').textContent = 'not signed in: ' + e.message; });
