// The leadership view's charts: data comes from the page (json_script "leadership-chart-data"),
// decimals as strings turned into numbers only to draw.
(function () {
  "use strict";

  const num = (value) => (value === null || value === undefined ? null : Number(value));
  const money = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, maximumFractionDigits: 2 });

  function draw(id, config) {
    const canvas = document.getElementById(id);
    if (!canvas || typeof Chart === "undefined") return;
    const existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
    new Chart(canvas, config);
  }

  function drawAll() {
    const source = document.getElementById("leadership-chart-data");
    if (!source) return;
    const data = JSON.parse(source.textContent);

    draw("chart-status", {
      type: "bar",
      data: {
        labels: data.status.labels,
        datasets: [
          { label: "Ready to expand", data: data.status.ready, backgroundColor: data.status.colours.ready },
          { label: "Not ready", data: data.status.notReady, backgroundColor: data.status.colours.blocked },
        ],
      },
      options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
    });

    draw("chart-time-saved", {
      data: {
        labels: data.timeSaved.labels,
        datasets: [
          { type: "bar", label: "Hours saved", data: data.timeSaved.hours.map(num), backgroundColor: "#1f7a4d", yAxisID: "hours" },
          { type: "line", label: "Full cost", data: data.timeSaved.cost.map(num), borderColor: "#a15c00", backgroundColor: "#a15c00", yAxisID: "cost" },
        ],
      },
      options: {
        plugins: { tooltip: { callbacks: { label: (item) => (item.dataset.yAxisID === "cost" ? `Full cost: ${money.format(item.raw)}` : `Hours saved: ${item.raw}`) } } },
        scales: {
          hours: { position: "left", beginAtZero: true, title: { display: true, text: "hours saved" } },
          cost: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: "full cost" } },
        },
      },
    });

    draw("chart-revision", {
      type: "line",
      data: {
        labels: data.revision.labels,
        datasets: data.revision.datasets.map((set) => ({ label: set.label, data: set.data.map(num), borderColor: set.colour, backgroundColor: set.colour, spanGaps: true })),
      },
      options: { scales: { y: { beginAtZero: true, suggestedMax: 50, title: { display: true, text: "% corrected" } } } },
    });

    draw("chart-repeats", {
      type: "bar",
      data: {
        labels: data.repeats.labels,
        datasets: [
          { label: "Repeats (90 days)", data: data.repeats.recent, backgroundColor: "#a15c00" },
          { label: "Open and serious", data: data.repeats.seriousOpen, backgroundColor: "#b42318" },
        ],
      },
      options: { indexAxis: "y", scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
    });

    draw("chart-resolution", {
      data: {
        labels: data.resolution.labels,
        datasets: [
          { type: "bar", label: "Average hours to resolve", data: data.resolution.hours.map(num), backgroundColor: "#2856d8" },
          { type: "line", label: "Target (hours)", data: data.resolution.target.map(num), borderColor: "#b42318", backgroundColor: "#b42318", showLine: false, pointStyle: "line", pointRadius: 10 },
        ],
      },
      options: { scales: { y: { beginAtZero: true } } },
    });

    draw("chart-use-cases", {
      type: "doughnut",
      data: {
        labels: data.useCases.labels,
        datasets: [{ data: data.useCases.counts, backgroundColor: ["#d68a00", "#1f7a4d", "#b42318"] }],
      },
    });
  }

  document.addEventListener("DOMContentLoaded", drawAll);
})();
