// The dashboard's bar charts, drawn by Chart.js with only the parts a bar chart needs registered (the
// rest is tree-shaken away). Loaded only by the dashboard (a dynamic import), so no other page pays for it.

import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Colours that keep 3:1 against white and apart from each other (one per centre when centres compare). */
const COLOURS = ['#0b4f8a', '#a4161a', '#1e6b34', '#6a3d9a', '#8a4b08', '#00626f'];

export type BarData = { labels: string[]; series: { label: string; values: (number | null)[] }[]; max?: number };

export function barChart(canvas: HTMLCanvasElement, data: BarData): () => void {
  const chart = new Chart(canvas, {
    type: 'bar',
    data: {
      labels: data.labels,
      datasets: data.series.map((s, i) => ({ label: s.label, data: s.values, backgroundColor: COLOURS[i % COLOURS.length] })),
    },
    options: {
      animation: false,
      responsive: true,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, ...(data.max !== undefined ? { max: data.max } : {}) } },
      plugins: { legend: { display: data.series.length > 1 } },
    },
  });
  return () => chart.destroy();
}
