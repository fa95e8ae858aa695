// Progressive enhancement for the trends pages: draws the numbers already in
// the page's table as a stacked bar chart above it. Without JavaScript (or if
// Chart.js fails to load) the table alone carries everything.

// Distinct colours that keep 3:1 contrast against white, in category order.
const PALETTE = [
  '#1d70b8', '#d4351c', '#00703c', '#6f3c97', '#b58840', '#912b88', '#0b0c0c',
  '#28a197', '#f47738', '#5694ca', '#85994b', '#d53880', '#505a5f', '#003078', '#942514',
];

function readTable(table) {
  const categories = [...table.querySelectorAll('thead th[data-category]')].map((th) => th.textContent.trim());
  const labels = [];
  const series = categories.map(() => []);
  for (const row of table.querySelectorAll('tbody tr[data-month]')) {
    const label = row.querySelector('th').textContent.trim();
    labels.push(row.hasAttribute('data-unpublished') ? `${label} (not published)` : label);
    const cells = row.querySelectorAll('td[data-value]');
    categories.forEach((_, i) => {
      // An unpublished month has no cells with values: a gap, never a zero.
      const cell = cells[i];
      series[i].push(cell ? Number(cell.dataset.value) : null);
    });
  }
  return { labels, datasets: categories.map((label, i) => ({ label, data: series[i], backgroundColor: PALETTE[i % PALETTE.length] })) };
}

function draw() {
  const table = document.getElementById('trends-table');
  const container = document.getElementById('trends-chart-container');
  const canvas = document.getElementById('trends-chart');
  const Chart = window.Chart;
  if (!table || !container || !canvas || typeof Chart !== 'function') return;
  const data = readTable(table);
  if (data.labels.length === 0) return;
  container.hidden = false;
  const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  new Chart(canvas, {
    type: 'bar',
    data,
    options: {
      animation: reducedMotion ? false : undefined,
      responsive: true,
      aspectRatio: 2,
      scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, title: { display: true, text: 'Crimes' } } },
      plugins: { legend: { position: 'bottom' }, tooltip: { mode: 'index', intersect: false } },
    },
  });
}

draw();
