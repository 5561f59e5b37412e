// The bus console: polls GET /api/console/v1/bus (the whole bus in one answer) every two seconds
// and redraws. No build step. The token comes from the URL fragment (#token=…, kept out of server
// logs) or the form.
(function () {
  'use strict';
  const API = '/api/console/v1';
  const PERIOD_MS = 2000;
  const byId = (id) => document.getElementById(id);
  let selected = null;
  let previous = {}; // group -> {at, applied}: for the replay's time left
  // When the answer to the operator's last replay came: a view of the bus asked for before it
  // shows the group before its rewind (a replay "done" that has not begun), and is not drawn.
  let rewoundAt = 0;
  const cell = (value, className) => {
    const td = document.createElement('td');
    td.textContent = value;
    if (className) td.className = className;
    return td;
  };
  const unknown = (n) => (n < 0 ? '–' : String(n));

  function token() {
    const match = /(?:^|&)token=([^&]+)/.exec(location.hash.slice(1));
    if (match) {
      sessionStorage.setItem('console-token', decodeURIComponent(match[1]));
      history.replaceState(null, '', location.pathname);
    }
    return sessionStorage.getItem('console-token');
  }

  async function get(path, method) {
    const response = await fetch(API + path, {
      method: method || 'GET',
      headers: { Authorization: 'Bearer ' + token() },
    });
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem('console-token');
      throw new Error('not authorised: a token with role bus-admin is needed');
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || response.statusText);
    }
    return response.json();
  }

  function spark(values) {
    const max = Math.max(1, ...values);
    const width = 150;
    const height = 24;
    const step = width / Math.max(1, values.length - 1);
    const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * height).toFixed(1)}`);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('class', 'spark');
    svg.setAttribute('width', width);
    svg.setAttribute('height', height);
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    line.setAttribute('points', points.join(' '));
    line.setAttribute('fill', 'none');
    line.setAttribute('stroke', '#3366cc');
    svg.appendChild(line);
    return svg;
  }

  function renderBus(bus) {
    byId('bus-topic').textContent = bus.topic;
    byId('bus-facts').textContent =
      `${bus.partitions} partitions · ${bus.records.toLocaleString()} records (events and the publishers' transaction markers) · retention ` +
      (bus.retentionMs < 0 ? 'forever' : `${Math.round(bus.retentionMs / 86400000)} days`);
    const body = byId('traffic').querySelector('tbody');
    body.replaceChildren();
    const types = Object.keys(bus.series).sort();
    if (types.length === 0) {
      const row = document.createElement('tr');
      row.appendChild(cell('no events in the last five minutes'));
      body.appendChild(row);
    }
    for (const type of types) {
      const row = document.createElement('tr');
      row.dataset.type = type;
      row.appendChild(cell(type));
      row.appendChild(cell((bus.eventsPerSecond[type] || 0).toFixed(1), 'number'));
      const chart = document.createElement('td');
      chart.appendChild(spark(bus.series[type]));
      row.appendChild(chart);
      body.appendChild(row);
    }
  }

  // A replay re-applies the records between where it began and its boundary; progress is how many
  // of those are applied. The boundary leaves the committed offset once passed: a replay seen in
  // progress (or started here) and gone since is done.
  function replay(status) {
    const replaying = status.partitions.filter((p) => p.replayUntil >= 0);
    if (replaying.length === 0) return null;
    const start = (p) => Math.max(0, p.replayFrom);
    const total = replaying.reduce((sum, p) => sum + p.replayUntil - start(p), 0);
    const applied = replaying.reduce(
      (sum, p) => sum + Math.max(0, Math.min(p.committed, p.replayUntil) - start(p)), 0);
    return { total, applied };
  }

  function renderReplay(td, status) {
    const group = status.description.group;
    const progress = replay(status);
    if (!progress && !(group in previous)) {
      td.textContent = '–';
      return;
    }
    const done = !progress;
    const percent = done || progress.total === 0 ? 100 : Math.floor((100 * progress.applied) / progress.total);
    const bar = document.createElement('span');
    bar.className = 'bar';
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuenow', percent);
    const fill = document.createElement('span');
    fill.style.width = percent + '%';
    bar.appendChild(fill);
    td.appendChild(bar);
    const before = previous[group];
    let left = '';
    if (done) {
      left = ' · done';
    } else {
      if (before && before.applied >= 0 && progress.applied > before.applied) {
        const rate = (progress.applied - before.applied) / ((Date.now() - before.at) / 1000);
        left = ` · about ${Math.ceil((progress.total - progress.applied) / rate)} s left`;
      }
      previous[group] = { at: Date.now(), applied: progress.applied };
    }
    td.appendChild(document.createTextNode(` ${percent} %${left}`));
    td.dataset.percent = percent;
  }

  function renderSubscribers(subscribers) {
    const body = byId('subscribers').querySelector('tbody');
    body.replaceChildren();
    for (const status of subscribers) {
      const d = status.description;
      const row = document.createElement('tr');
      row.className = 'subscriber' + (selected === d.group ? ' selected' : '');
      row.dataset.group = d.group;
      row.dataset.name = d.name;
      row.appendChild(cell(d.name));
      row.appendChild(cell(d.group));
      row.appendChild(cell(d.types.join(', ')));
      row.appendChild(cell(d.startsFrom));
      row.appendChild(cell(d.owner));
      row.appendChild(cell(d.version));
      row.appendChild(cell(String(status.members), 'number'));
      row.appendChild(cell(unknown(status.lag), 'number' + (status.lag > 0 ? ' behind' : '')));
      row.appendChild(cell(unknown(status.lagSeconds), 'number'));
      row.appendChild(cell(unknown(status.deadLetters), 'number' + (status.deadLetters > 0 ? ' behind' : '')));
      const replayCell = document.createElement('td');
      replayCell.className = 'replay';
      renderReplay(replayCell, status);
      row.appendChild(replayCell);
      row.addEventListener('click', () => {
        selected = d.group;
        renderPartitions(status);
        showReplayForm(d.group);
        showDeadLetters(d.name).catch(report);
      });
      body.appendChild(row);
      if (selected === d.group) renderPartitions(status);
    }
  }

  function renderPartitions(status) {
    const holder = byId('partitions');
    holder.replaceChildren();
    const title = document.createElement('h3');
    title.textContent = `${status.description.name} (${status.description.group}) by partition`;
    const table = document.createElement('table');
    const head = document.createElement('tr');
    ['Partition', 'Committed', 'End', 'Lag', 'Lag (s)', 'Replay until'].forEach((h) => {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    });
    table.appendChild(head);
    for (const p of status.partitions) {
      const row = document.createElement('tr');
      [p.partition, p.committed, p.end, p.lag, unknown(p.lagSeconds), unknown(p.replayUntil)]
        .forEach((v) => row.appendChild(cell(String(v), 'number')));
      table.appendChild(row);
    }
    holder.append(title, table);
  }

  // Replay: the plan first, as `bus replay --dry-run` prints it; then, confirmed, the rewind.
  function showReplayForm(group) {
    const form = byId('replay');
    form.dataset.group = group;
    byId('replay-title').textContent = `Replay ${group}`;
    byId('replay-plan-view').replaceChildren();
    form.hidden = false;
  }

  async function planReplay() {
    const group = byId('replay').dataset.group;
    const from = byId('replay-from').value.trim();
    const holder = byId('replay-plan-view');
    holder.replaceChildren();
    let plan;
    // A plan that comes back after another group was selected is that group's no more.
    const stillAsked = () => byId('replay').dataset.group === group;
    try {
      plan = await get(`/groups/${encodeURIComponent(group)}/replay?from=${encodeURIComponent(from)}`);
      if (!stillAsked()) return;
    } catch (e) {
      if (!stillAsked()) return;
      const refused = document.createElement('p');
      refused.id = 'replay-refused';
      refused.className = 'error';
      refused.textContent = e.message;
      holder.appendChild(refused);
      return;
    }
    const moves = table(
      ['Partition', 'Current', 'New', 'End', 'Reprocessed', 'Replay until'],
      plan.moves.map((m) => [m.partition, m.current, m.changes ? m.target : m.current, m.end,
        m.reprocessed, m.changes ? m.until : null]));
    moves.id = 'replay-moves';
    const total = document.createElement('p');
    total.textContent = `${plan.reprocessed} record(s) will be processed again, ${plan.from}`;
    holder.append(moves, total);
    if (plan.partitionsRewound === 0) return;
    const start = document.createElement('button');
    start.type = 'button';
    start.id = 'replay-start';
    start.className = 'danger';
    start.textContent = `Replay ${plan.reprocessed} record(s)`;
    start.addEventListener('click', untilDone(start, () => startReplay(group, from, plan)));
    holder.appendChild(start);
  }

  async function startReplay(group, from, plan) {
    if (!window.confirm(`Rewind ${group} to process ${plan.reprocessed} record(s) again, ${plan.from}?`)) return;
    const done = await get(`/groups/${encodeURIComponent(group)}/replay?from=${encodeURIComponent(from)}`, 'POST');
    rewoundAt = Date.now();
    previous[group] = { at: rewoundAt, applied: -1 };
    byId('status').textContent =
      `${group} rewound on ${done.partitionsRewound} partition(s); start its deployments to replay`;
    byId('replay-plan-view').replaceChildren();
    await showActivity();
  }

  function table(headings, rows) {
    const t = document.createElement('table');
    const head = document.createElement('tr');
    headings.forEach((h) => {
      const th = document.createElement('th');
      th.textContent = h;
      head.appendChild(th);
    });
    t.appendChild(head);
    rows.forEach((values) => {
      const row = document.createElement('tr');
      values.forEach((v) => row.appendChild(cell(v == null ? '–' : String(v))));
      t.appendChild(row);
    });
    return t;
  }

  // A subscriber's dead letters: counts by reason, one line each; a click shows one whole.
  // The subscriber whose dead letters are asked for last: a slower answer for one asked before
  // is dropped, not drawn under the other's heading with buttons that act on the wrong one.
  let deadLettersOf = null;

  async function showDeadLetters(name) {
    deadLettersOf = name;
    const holder = byId('dead-letters');
    holder.replaceChildren();
    const title = document.createElement('h3');
    title.textContent = `${name}: dead letters`;
    holder.appendChild(title);
    let view;
    try {
      view = await get(`/subscribers/${name}/dead-letters`);
    } catch (e) {
      if (deadLettersOf === name) holder.appendChild(document.createTextNode(e.message));
      return;
    }
    if (deadLettersOf !== name) return;
    const reasons = table(['Reason', 'Records'], Object.entries(view.byReason));
    reasons.id = 'dead-letter-reasons';
    holder.appendChild(reasons);
    const letters = table(
      ['Position', 'Dead-lettered', 'Type', 'Event id', 'Reason', 'Re-drives'],
      view.letters.map((l) => [`${l.partition}@${l.offset}`, l.deadLetteredAt, l.type, l.eventId, l.reason, l.redrives]));
    letters.id = 'dead-letter-list';
    view.letters.forEach((l, i) => {
      const row = letters.rows[i + 1];
      row.className = 'subscriber';
      row.addEventListener('click', () => showLetter(name, l).catch(report));
    });
    holder.appendChild(letters);
    if (view.count > 0) {
      // Only a subscriber that reads a retry topic can be re-driven to; the others replay.
      if (view.retryTopic) {
        const button = document.createElement('button');
        button.id = 'redrive';
        button.textContent = `Re-drive to ${view.retryTopic}…`;
        button.addEventListener('click', untilDone(button, () => redrive(name, view)));
        holder.append(button, ' ');
      } else {
        const note = document.createElement('p');
        note.id = 'no-redrive';
        note.textContent = `${name} reads no retry topic: once the cause is fixed, replay its group from before the first dead letter if it acts once per event id (as the CRM does), or rebuild it (wipe, then replay from the beginning) if it guards on its position (as analytics does).`;
        holder.append(note);
      }
      const purge = document.createElement('button');
      purge.id = 'purge';
      purge.className = 'danger';
      purge.textContent = `Purge ${view.count}`;
      purge.addEventListener('click', untilDone(purge, () => purgeAll(name, view)));
      holder.append(purge);
    }
    const whole = document.createElement('pre');
    whole.id = 'dead-letter';
    holder.appendChild(whole);
  }

  // The letter asked for last, and where it goes: a slower answer for one asked before — of this
  // subscriber or of one shown before it — is dropped, not drawn over the other.
  let letterAsked = null;

  async function showLetter(name, letter) {
    const path = `/subscribers/${name}/dead-letters/${letter.partition}/${letter.offset}`;
    const target = byId('dead-letter');
    letterAsked = path;
    const whole = await get(path);
    if (letterAsked !== path || !target.isConnected) return;
    const headers = Object.entries(whole.headers).map(([k, v]) => `${k}: ${v}`).join('\n');
    let body = whole.body;
    try {
      body = JSON.stringify(JSON.parse(whole.body), null, 2);
    } catch (e) {
      // not JSON: shown as it is
    }
    target.textContent = `key: ${whole.key}\n${headers}\n\n${body}`;
  }

  // The view's end offsets, as the server takes them: an action on what the operator saw.
  function seen(view) {
    return encodeURIComponent(Object.entries(view.upTo).map(([partition, offset]) => `${partition}:${offset}`).join(','));
  }

  // Confirmed first with what the server would do — the newest copy of each event, loops refused,
  // letters dead-lettered since the view left —; the subscriber's own retry topic, never the bus;
  // audited by the server.
  async function redrive(name, view) {
    const path = `/subscribers/${name}/dead-letters/redrive?upTo=${seen(view)}`;
    const plan = await get(path);
    const refused = plan.refused.length ? `, refuse ${plan.refused.length} as loops (re-driven too often already)` : '';
    const older = plan.olderCopies ? `, leave out ${plan.olderCopies} older copies of the same events` : '';
    if (!window.confirm(`Re-drive ${plan.redriven} of the ${view.count} dead letter(s) of ${name} to its own retry topic${refused}${older}?`)) return;
    const done = await get(path, 'POST');
    const refusedNow = done.refused.length ? `; refused as loops: ${done.refused.join(' ')}` : '';
    byId('status').textContent = `re-drove ${done.redriven} record(s) of ${name}${refusedNow}`;
    await showDeadLetters(name);
    await showActivity();
  }

  // Purge deletes from the head of the DLQ (Kafka deletes up to an offset): all of what this view
  // shows, and none dead-lettered since it was read (the view's end offsets go with it).
  async function purgeAll(name, view) {
    if (!window.confirm(`Delete all ${view.count} dead letter(s) of ${name}? They cannot be re-driven after.`)) return;
    const done = await get(`/subscribers/${name}/dead-letters/purge?upTo=${seen(view)}`, 'POST');
    byId('status').textContent = `purged ${done.purged} dead letter(s) of ${name}`;
    await showDeadLetters(name);
    await showActivity();
  }

  async function showActivity() {
    const entries = await get('/activity');
    const body = byId('activity').querySelector('tbody');
    body.replaceChildren();
    entries.forEach((e) => {
      const row = document.createElement('tr');
      [e.at, e.who, e.tool, e.action, e.subscriber, e.records, e.detail]
        .forEach((v) => row.appendChild(cell(v == null ? '–' : String(v))));
      body.appendChild(row);
    });
  }

  // An action's button is disabled until its answer is in: a second click while the first re-drive
  // runs would send every letter again.
  function untilDone(button, action) {
    return async () => {
      if (button.disabled) return;
      button.disabled = true;
      try {
        await action();
      } catch (e) {
        report(e);
      } finally {
        button.disabled = false;
      }
    };
  }

  function report(e) {
    byId('status').textContent = e.message;
    byId('status').className = 'error';
  }

  let refreshes = 0;

  async function refresh() {
    try {
      const askedAt = Date.now();
      const view = await get('/bus');
      if (askedAt < rewoundAt) return;
      renderBus(view.bus);
      renderSubscribers(view.subscribers);
      byId('cost').textContent = `${view.refresh.millis} ms`;
      byId('status').textContent = 'live';
      byId('status').className = '';
      byId('updated').textContent = new Date().toLocaleTimeString();
      byId('console').hidden = false;
      // Actions taken elsewhere (the CLI, other operators) show up too, every fifth refresh.
      if (refreshes++ % 5 === 0) await showActivity();
    } catch (e) {
      byId('status').textContent = e.message;
      byId('status').className = 'error';
      if (!token()) {
        byId('console').hidden = true;
        byId('login').hidden = false;
      }
    }
  }

  byId('replay').addEventListener('submit', (event) => {
    event.preventDefault();
    planReplay().catch(report);
  });

  byId('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('console-token', byId('token').value.trim());
    byId('login').hidden = true;
    refresh();
  });

  if (token()) {
    refresh();
  } else {
    byId('login').hidden = false;
    byId('status').textContent = 'a token with role bus-admin is needed';
  }
  setInterval(() => token() && refresh(), PERIOD_MS);
})();
