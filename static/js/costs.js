// The finance dashboard's charts: data comes from the page (json_script "finance-chart-data"),
// amounts as decimal strings turned into numbers only to draw. Redrawn after an htmx filter swap.
(function () {
  "use strict";

  const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 4 });
  const num = (value) => (value === null || value === undefined ? null : Number(value));

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    const existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
    new Chart(canvas, config);
  }

  function drawAll() {
    const source = document.getElementById("finance-chart-data");
    if (!source) return;
    const data = JSON.parse(source.textContent);

    const percents = data.caps.percent.map(num);
    draw("chart-caps", {
      type: "bar",
      data: {
        labels: data.caps.labels,
        datasets: [{ label: "% of monthly cap", data: percents, backgroundColor: data.caps.colours }],
      },
      options: {
        indexAxis: "y",
        plugins: {
          legend: { display: false },
          tooltip: {
            callbacks: {
              label: (item) => `${item.raw}% — ${money.format(num(data.caps.spend[item.dataIndex]))} of ${money.format(num(data.caps.cap[item.dataIndex]))}`,
            },
          },
        },
        scales: { x: { beginAtZero: true, suggestedMax: 100, title: { display: true, text: "% of cap" } } },
      },
    });

    draw("chart-per-task", {
      type: "bar",
      data: {
        labels: data.perTask.labels,
        datasets: [
          { label: "Full cost per task", data: data.perTask.full.map(num), backgroundColor: "#a15c00" },
          { label: "API-only cost per task", data: data.perTask.api.map(num), backgroundColor: "#2856d8" },
        ],
      },
      options: {
        plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${money.format(item.raw)}` } } },
        scales: { y: { beginAtZero: true } },
      },
    });

    draw("chart-trend", {
      type: "bar",
      data: {
        labels: data.trend.labels,
        datasets: data.trend.datasets.map((set) => ({ label: set.label, data: set.data.map(num), backgroundColor: set.colour })),
      },
      options: {
        plugins: { tooltip: { callbacks: { label: (item) => `${item.dataset.label}: ${money.format(item.raw)}` } } },
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true } },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
})();
