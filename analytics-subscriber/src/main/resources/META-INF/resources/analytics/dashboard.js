// The analytics dashboard: polls the analyst API every two seconds and redraws. No build step.
// The token comes from the URL fragment (#token=…, kept out of server logs) or the form.
(function () {
  'use strict';
  const API = '/api/analytics/v1';
  const PERIOD_MS = 2000;
  const COLOURS = ['#3366cc', '#dc3912', '#ff9900', '#109618', '#990099', '#0099c6', '#dd4477',
    '#66aa00', '#b82e2e', '#316395'];
  const byId = (id) => document.getElementById(id);

  function token() {
    const match = /(?:^|&)token=([^&]+)/.exec(location.hash.slice(1));
    if (match) {
      sessionStorage.setItem('analytics-token', decodeURIComponent(match[1]));
      history.replaceState(null, '', location.pathname);
    }
    return sessionStorage.getItem('analytics-token');
  }

  async function get(path) {
    const response = await fetch(API + path, { headers: { Authorization: 'Bearer ' + token() } });
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem('analytics-token');
      throw new Error('not authorised: a token with role analyst is needed');
    }
    if (!response.ok) {
      const problem = await response.json().catch(() => ({}));
      throw new Error(problem.detail || response.statusText);
    }
    return response.json();
  }

  function text(element, value) {
    element.textContent = value;
  }

  function renderRevenue(sales) {
    const list = byId('revenue-today');
    list.replaceChildren();
    const currencies = Object.keys(sales).sort();
    if (currencies.length === 0) {
      const none = document.createElement('li');
      none.textContent = '–';
      list.append(none);
    }
    for (const currency of currencies) {
      const item = document.createElement('li');
      item.dataset.currency = currency;
      item.textContent = currency + ' ' + sales[currency].revenue;
      list.append(item);
    }
  }

  function renderTop(products) {
    const body = byId('top-products').tBodies[0];
    body.replaceChildren();
    for (const product of products) {
      const row = body.insertRow();
      row.dataset.product = product.productId;
      text(row.insertCell(), product.productId);
      const units = row.insertCell();
      units.className = 'units';
      text(units, product.units);
      const revenue = row.insertCell();
      revenue.className = 'revenue';
      text(revenue, Object.entries(product.sales).map(([c, t]) => c + ' ' + t.revenue).join(', '));
    }
  }

  // Stacked bars, one per UTC hour; an SVG drawn by hand, so no chart library is needed.
  function renderChart(buckets) {
    const types = [...new Set(buckets.flatMap((b) => Object.keys(b.counts)))].sort();
    const totals = buckets.map((b) => Object.values(b.counts).reduce((a, n) => a + n, 0));
    const max = Math.max(1, ...totals);
    const width = 720, height = 200, bar = width / buckets.length;
    const ns = 'http://www.w3.org/2000/svg';
    const svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', `0 0 ${width} ${height + 16}`);
    svg.setAttribute('role', 'img');
    buckets.forEach((bucket, i) => {
      let y = height;
      types.forEach((type, t) => {
        const n = bucket.counts[type] || 0;
        if (n === 0) return;
        const h = (n / max) * (height - 4);
        y -= h;
        const rect = document.createElementNS(ns, 'rect');
        rect.setAttribute('x', i * bar + 1);
        rect.setAttribute('y', y);
        rect.setAttribute('width', bar - 2);
        rect.setAttribute('height', h);
        rect.setAttribute('fill', COLOURS[t % COLOURS.length]);
        rect.dataset.hour = bucket.start;
        rect.dataset.type = type;
        rect.dataset.count = n;
        const title = document.createElementNS(ns, 'title');
        title.textContent = `${bucket.start.slice(11, 16)} ${type}: ${n}`;
        rect.append(title);
        svg.append(rect);
      });
      if (i % 3 === 0) {
        const label = document.createElementNS(ns, 'text');
        label.setAttribute('x', i * bar + 2);
        label.setAttribute('y', height + 13);
        label.setAttribute('font-size', '10');
        label.textContent = bucket.start.slice(11, 13) + 'h';
        svg.append(label);
      }
    });
    const legend = document.createElement('p');
    legend.className = 'legend';
    types.forEach((type, t) => {
      const entry = document.createElement('span');
      const swatch = document.createElement('i');
      swatch.style.background = COLOURS[t % COLOURS.length];
      entry.append(swatch, type);
      legend.append(entry);
    });
    byId('events-chart').replaceChildren(svg, legend);
  }

  async function refresh() {
    if (!token()) {
      byId('login').hidden = false;
      byId('dashboard').hidden = true;
      text(byId('status'), 'waiting for a token');
      return;
    }
    const today = new Date().toISOString().slice(0, 10);
    try {
      const [summary, top, hours] = await Promise.all([
        get(`/summary?from=${today}&to=${today}`),
        get(`/products/top?day=${today}&limit=10`),
        get(`/event-types?from=${today}&to=${today}&bucket=hour`),
      ]);
      text(byId('events-today'), summary.totalEvents);
      text(byId('unique-customers'), summary.uniqueCustomers);
      renderRevenue(summary.sales);
      renderTop(top);
      renderChart(hours);
      byId('login').hidden = true;
      byId('dashboard').hidden = false;
      byId('status').className = '';
      text(byId('status'), 'live');
      text(byId('updated'), new Date().toISOString().slice(11, 19) + ' UTC');
    } catch (error) {
      byId('status').className = 'error';
      text(byId('status'), error.message);
    }
  }

  byId('login').addEventListener('submit', (event) => {
    event.preventDefault();
    sessionStorage.setItem('analytics-token', byId('token').value.trim());
    refresh();
  });
  refresh();
  setInterval(refresh, PERIOD_MS);
})();
