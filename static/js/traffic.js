// The Live traffic panel's chart: response time per day (median and 95th percentile, ms) with
// the day's tasks as bars. Data from the page (json_script "traffic-chart-data").
(function () {
  "use strict";

  function drawAll() {
    const source = document.getElementById("traffic-chart-data");
    const canvas = document.getElementById("chart-traffic-latency");
    if (!source || !canvas || typeof Chart === "undefined") return;
    const data = JSON.parse(source.textContent);
    const existing = Chart.getChart(canvas);
    if (existing) existing.destroy();
    new Chart(canvas, {
      data: {
        labels: data.labels,
        datasets: [
          { type: "line", label: "Median (ms)", data: data.p50, borderColor: "#2856d8", backgroundColor: "#2856d8", yAxisID: "ms" },
          { type: "line", label: "95th percentile (ms)", data: data.p95, borderColor: "#b42318", backgroundColor: "#b42318", yAxisID: "ms" },
          { type: "bar", label: "Tasks", data: data.tasks, backgroundColor: "#d9dee8", yAxisID: "tasks" },
        ],
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        scales: {
          ms: { position: "left", beginAtZero: true, title: { display: true, text: "response time (ms)" } },
          tasks: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 }, title: { display: true, text: "tasks" } },
        },
      },
    });
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
})();
