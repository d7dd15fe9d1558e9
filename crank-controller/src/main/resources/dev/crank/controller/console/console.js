// The Crank console: plain JavaScript, no dependencies, same origin only (see the page's CSP).
// It polls the controller's own API: /status, /capabilities, /workers (paged) and /catalog.
'use strict';

(function () {
  const POLL_MS = 2000;
  const CATALOG_EVERY = 5; // polls; schemas and counters change less often than health
  const $ = (id) => document.getElementById(id);

  const view = {
    pageSize: 100,
    capability: '',
    cursors: [''], // the `after` of every page seen so far; the last one is the current page
    next: null,
    workers: [],
    catalog: { capabilities: {} },
    capabilities: {},
    selected: null,
    polls: 0,
    lastOk: null,
  };

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (v === undefined || v === null || v === false) return;
      if (k === 'class') node.className = v;
      else if (k === 'text') node.textContent = v;
      else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? '' : String(v));
    });
    children.flat().forEach((c) => node.append(c instanceof Node ? c : document.createTextNode(String(c))));
    return node;
  }

  async function getJson(path) {
    const response = await fetch(path, { headers: { accept: 'application/json' }, cache: 'no-store' });
    if (!response.ok) throw new Error(path + ': HTTP ' + response.status);
    return response.json();
  }

  function workersPath() {
    const params = new URLSearchParams({ limit: String(view.pageSize) });
    const after = view.cursors[view.cursors.length - 1];
    if (after) params.set('after', after);
    if (view.capability) params.set('capability', view.capability);
    return '/workers?' + params.toString();
  }

  async function poll() {
    try {
      const wantCatalog = view.polls % CATALOG_EVERY === 0;
      const [status, capabilities, page, catalog] = await Promise.all([
        getJson('/status'), getJson('/capabilities'), getJson(workersPath()),
        wantCatalog ? getJson('/catalog') : Promise.resolve(null),
      ]);
      view.polls++;
      if (catalog) view.catalog = catalog;
      view.capabilities = capabilities;
      view.workers = page.workers;
      view.next = page.next || null;
      view.total = page.total;
      view.lastOk = new Date();
      render(status);
      $('freshness').textContent = 'updated ' + view.lastOk.toLocaleTimeString();
    } catch (error) {
      $('freshness').textContent = 'controller unreachable: ' + error.message;
    }
  }

  function render(status) {
    const healthyTotal = Object.values(view.capabilities).reduce((n, c) => n + c.healthy_workers, 0);
    $('summary').textContent = status.registered_workers + ' workers · ' + Object.keys(view.capabilities).length
      + ' capabilities · ' + healthyTotal + ' healthy providers · gateway retries ' + status.gateway_retries
      + ' · 429s ' + status.gateway_rejections;
    renderCapabilities();
    renderFilter();
    renderWorkers();
    renderDetail();
  }

  function bar(used, max) {
    const ratio = max > 0 ? Math.min(1, used / max) : 0;
    const fill = el('span');
    fill.style.width = Math.round(ratio * 100) + '%'; // CSSOM, allowed by the CSP (a style attribute is not)
    return el('span', { class: ratio >= 1 ? 'bar full' : 'bar', title: used + ' of ' + max }, fill);
  }

  function renderCapabilities() {
    const body = $('capabilities').tBodies[0];
    body.replaceChildren();
    Object.entries(view.capabilities).forEach(([key, c]) => {
      const entry = view.catalog.capabilities[key] || { providers: [], counters: {} };
      const inFlight = entry.providers.reduce((n, p) => n + (p.in_flight_via_gateway || 0), 0);
      const max = entry.providers.reduce((n, p) => n + (p.max_concurrency || 0), 0);
      const counters = entry.counters || {};
      body.append(el('tr', { 'data-capability': key },
        el('td', {}, el('button', { class: 'link', type: 'button', text: key, onclick: () => filterBy(key) })),
        el('td', { text: (c.versions || []).join(', ') }),
        el('td', { text: c.workers }),
        el('td', { class: c.healthy_workers > 0 ? 'state state-active' : 'state state-expired', text: c.healthy_workers }),
        el('td', { class: c.gpu_workers > 0 ? 'gpu' : '', text: c.gpu_workers }),
        el('td', {}, inFlight + ' / ' + max, bar(inFlight, max)),
        el('td', { text: counters.gateway_calls ?? '' }),
        el('td', { text: counters.gateway_non_2xx ?? '' }),
        el('td', { text: counters.gateway_429 ?? '' }),
        el('td', { text: counters.gateway_retries ?? '' }),
        el('td', {}, el('button', { type: 'button', class: 'try-button', 'data-capability': key, text: 'try it',
          onclick: () => openTry(key) }))));
    });
  }

  function renderFilter() {
    const select = $('filter-capability');
    const keys = Object.keys(view.capabilities);
    const shown = Array.from(select.options).slice(1).map((o) => o.value);
    if (shown.join() !== keys.join()) {
      select.replaceChildren(el('option', { value: '', text: 'all' }),
        ...keys.map((k) => el('option', { value: k, text: k })));
      select.value = keys.includes(view.capability) ? view.capability : '';
    }
  }

  function loadOf(worker) {
    const load = worker.load || {};
    const inFlight = load.in_flight || {};
    let used = 0;
    let max = 0;
    let p50 = null;
    let p99 = null;
    let rejected = 0;
    (worker.capabilities || []).forEach((key) => {
      used += inFlight[key] || 0;
      rejected += (load.rejected || {})[key] || 0;
      max += (worker.max_concurrency || {})[key] || 0;
      const latency = (load.latency_ms || {})[key];
      if (latency) {
        p50 = Math.max(p50 ?? 0, latency.p50);
        p99 = Math.max(p99 ?? 0, latency.p99);
      }
    });
    return { used, max, p50, p99, rejected, queue: load.queue_depth ?? 0 };
  }

  function age(seconds) {
    if (seconds === undefined) return '';
    if (seconds < 120) return seconds.toFixed(1) + ' s';
    if (seconds < 7200) return Math.round(seconds / 60) + ' min';
    return Math.round(seconds / 3600) + ' h';
  }

  function renderWorkers() {
    const body = $('workers').tBodies[0];
    body.replaceChildren();
    view.workers.forEach((w) => {
      const load = loadOf(w);
      const gpu = (w.device || 'cpu') !== 'cpu';
      body.append(el('tr', { 'data-worker-id': w.worker_id, 'data-state': w.state,
        class: view.selected === w.worker_id ? 'selected' : '' },
        el('td', {}, el('button', { class: 'link', type: 'button', text: w.worker_id, onclick: () => select(w.worker_id) })),
        el('td', { class: 'state state-' + w.state, text: w.state }),
        el('td', { class: gpu ? 'gpu' : '', text: gpu ? 'GPU ' + w.device : 'CPU' }),
        el('td', { text: (w.capabilities || []).join(', ') }),
        el('td', {}, load.used + ' / ' + load.max, bar(load.used, load.max)),
        el('td', { text: load.queue }),
        el('td', { text: load.p50 === null ? '' : load.p50.toFixed(1) }),
        el('td', { text: load.p99 === null ? '' : load.p99.toFixed(1) }),
        el('td', { class: load.rejected > 0 ? 'state state-expired' : '', text: load.rejected }),
        el('td', { text: age(w.heartbeat_age_seconds) })));
    });
    const page = view.cursors.length;
    $('workers-total').textContent = '(' + view.total + (view.capability ? ' offering ' + view.capability : '') + ')';
    $('page-info').textContent = 'page ' + page + ' · ' + view.workers.length + ' shown';
    $('page-prev').disabled = page <= 1;
    $('page-first').disabled = page <= 1;
    $('page-next').disabled = !view.next;
  }

  function select(workerId) {
    view.selected = workerId;
    renderWorkers();
    renderDetail();
  }

  function renderDetail() {
    const section = $('detail-section');
    if (!view.selected) {
      section.hidden = true;
      return;
    }
    section.hidden = false;
    $('detail-title').textContent = view.selected;
    const worker = view.workers.find((w) => w.worker_id === view.selected);
    $('detail').textContent = worker ? JSON.stringify(worker, null, 2)
      : view.selected + ' is not on this page any more (deregistered, evicted or filtered out).';
  }

  function filterBy(key) {
    view.capability = key;
    $('filter-capability').value = key;
    view.cursors = [''];
    poll();
  }

  // --- try it: a form generated from the capability's input_schema -------------------------------

  function latestVersion(key) {
    const versions = (view.catalog.capabilities[key] || {}).versions || {};
    const names = Object.keys(versions).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
    return names.length ? versions[names[names.length - 1]] : { input_schema: {} };
  }

  async function openTry(key) {
    if (!view.catalog.capabilities[key]) view.catalog = await getJson('/catalog');
    const version = latestVersion(key);
    const schema = version.input_schema || {};
    $('try-section').hidden = false;
    $('try-title').textContent = key;
    $('try-description').textContent = version.description || '';
    $('try-output').textContent = '';
    delete $('try-output').dataset.status;
    $('try-status').textContent = '';
    const form = $('try-form');
    form.dataset.capability = key;
    const fields = schema.type === 'object' && schema.properties ? objectFields(schema, '') : [rawField('', schema)];
    form.replaceChildren(...fields, el('button', { type: 'submit', id: 'try-submit', text: 'invoke' }));
    form.onsubmit = (event) => {
      event.preventDefault();
      invoke(key, schema);
    };
    $('try-section').scrollIntoView({ block: 'nearest' });
  }

  function objectFields(schema, prefix) {
    const required = new Set(schema.required || []);
    return Object.entries(schema.properties || {}).map(([name, property]) => {
      const path = prefix ? prefix + '.' + name : name;
      const label = el('span', { class: 'name', text: name + (required.has(name) ? ' *' : '') });
      const title = property.description || '';
      if (property.type === 'object' && property.properties) {
        return el('fieldset', { title }, el('legend', { text: name }), objectFields(property, path));
      }
      if (Array.isArray(property.enum)) {
        return el('label', { title }, label, el('select', { name: path, 'data-type': 'enum' },
          el('option', { value: '', text: '' }), property.enum.map((v) => el('option', { value: JSON.stringify(v), text: String(v) }))));
      }
      if (property.type === 'boolean') {
        return el('label', { title }, label, el('input', { type: 'checkbox', name: path, 'data-type': 'boolean',
          checked: property.default === true }));
      }
      if (property.type === 'integer' || property.type === 'number') {
        return el('label', { title }, label, el('input', { type: 'number', name: path, 'data-type': property.type,
          min: property.minimum, max: property.maximum, step: property.type === 'integer' ? 1 : 'any',
          placeholder: property.default }));
      }
      if (property.type === 'string') {
        const long = (property.maxLength || 0) > 200 || property.contentMediaType;
        return el('label', { title }, label, long
          ? el('textarea', { name: path, 'data-type': 'string', placeholder: title })
          : el('input', { type: 'text', name: path, 'data-type': 'string', placeholder: title }));
      }
      return rawField(path, property, label);
    });
  }

  function rawField(path, property, label) {
    return el('label', { title: property.description || '' }, label || el('span', { class: 'name', text: 'body (JSON)' }),
      el('textarea', { name: path, 'data-type': 'json', placeholder: 'JSON' }));
  }

  function collect(form) {
    let body = {};
    for (const input of form.querySelectorAll('[data-type]')) {
      const type = input.dataset.type;
      let value;
      if (type === 'boolean') {
        if (!input.checked && !input.defaultChecked) continue;
        value = input.checked;
      } else if (input.value === '') {
        continue;
      } else if (type === 'integer' || type === 'number') {
        value = Number(input.value);
      } else if (type === 'json' || type === 'enum') {
        value = JSON.parse(input.value);
      } else {
        value = input.value;
      }
      if (!input.name) {
        body = value;
        continue;
      }
      const parts = input.name.split('.');
      let target = body;
      parts.slice(0, -1).forEach((part) => { target = target[part] = target[part] || {}; });
      target[parts[parts.length - 1]] = value;
    }
    return body;
  }

  async function invoke(key, schema) {
    const output = $('try-output');
    const status = $('try-status');
    output.textContent = '';
    delete output.dataset.status;
    let body;
    try {
      body = collect($('try-form'));
    } catch (error) {
      status.textContent = 'not valid JSON: ' + error.message;
      return;
    }
    const [verb, name] = key.split(':');
    status.textContent = 'calling ' + key + '…';
    const started = performance.now();
    try {
      const response = await fetch('/invoke/' + verb + '/' + name, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream, application/json' },
        body: JSON.stringify(body),
      });
      const type = response.headers.get('content-type') || '';
      const worker = response.headers.get('x-crank-worker');
      status.textContent = 'HTTP ' + response.status + (worker ? ' from ' + worker : '') + ' · ' + type
        + (type.startsWith('text/event-stream') ? ' · streaming' : '');
      const reader = response.body.getReader();
      const decoder = new TextDecoder();
      let text = '';
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        const chunk = decoder.decode(value, { stream: true });
        text += chunk;
        output.append(chunk); // shown as it arrives (SSE events one by one)
      }
      if (type.includes('json')) {
        try {
          output.textContent = JSON.stringify(JSON.parse(text), null, 2);
        } catch (ignored) {
          // not JSON after all: leave the text as it came
        }
      }
      status.textContent += ' · done in ' + Math.round(performance.now() - started) + ' ms';
      output.dataset.status = String(response.status);
    } catch (error) {
      status.textContent = 'failed: ' + error.message;
    }
  }

  // --- wiring ------------------------------------------------------------------------------------

  function wire() {
    $('filter-capability').addEventListener('change', (e) => filterBy(e.target.value));
    $('filter-after').addEventListener('change', (e) => {
      const value = e.target.value.trim();
      view.cursors = [/^[A-Za-z0-9._-]{1,128}$/.test(value) ? value : ''];
      poll();
    });
    $('page-size').addEventListener('change', (e) => {
      view.pageSize = Number(e.target.value);
      view.cursors = [view.cursors[0]];
      poll();
    });
    $('page-first').addEventListener('click', () => { view.cursors = [view.cursors[0]]; poll(); });
    $('page-prev').addEventListener('click', () => { if (view.cursors.length > 1) view.cursors.pop(); poll(); });
    $('page-next').addEventListener('click', () => { if (view.next) view.cursors.push(view.next); poll(); });
    $('detail-close').addEventListener('click', () => select(null));
    $('try-close').addEventListener('click', () => { $('try-section').hidden = true; });
    poll();
    setInterval(poll, POLL_MS);
  }

  document.addEventListener('DOMContentLoaded', wire);
}());
