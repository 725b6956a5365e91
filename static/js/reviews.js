// Reviews: the sample row form (Enter saves from any field, focus returns to the first field),
// and the trend chart on the pilot page.
(function () {
  "use strict";

  const COLOURS = { error: "#b42318", correction: "#a15c00", minutes: "#1f7a4d" };

  function numbers(values) {
    return values.map((value) => (value === null ? null : Number(value)));
  }

  function drawTrendCharts(root) {
    if (typeof window.Chart === "undefined") return;
    root.querySelectorAll("canvas[data-trend-chart]").forEach((canvas) => {
      if (canvas.dataset.drawn) return;
      const source = document.getElementById(canvas.dataset.trendChart);
      if (!source) return;
      const data = JSON.parse(source.textContent);
      const line = (label, values, colour, axis) => ({
        label, data: numbers(values), borderColor: colour, backgroundColor: colour,
        yAxisID: axis, tension: 0.2, spanGaps: true, pointRadius: 3,
      });
      new window.Chart(canvas, {
        type: "line",
        data: {
          labels: data.labels,
          datasets: [
            line("Error rate (%)", data.error_rate, COLOURS.error, "percent"),
            line("Correction rate (%)", data.correction_rate, COLOURS.correction, "percent"),
            line("Minutes saved per task", data.minutes_saved, COLOURS.minutes, "minutes"),
          ],
        },
        options: {
          animation: false,
          maintainAspectRatio: false,
          interaction: { mode: "index", intersect: false },
          scales: {
            percent: { position: "left", beginAtZero: true, suggestedMax: 20, title: { display: true, text: "%" } },
            minutes: {
              position: "right", beginAtZero: true, grid: { drawOnChartArea: false },
              title: { display: true, text: "minutes saved" },
            },
          },
        },
      });
      canvas.dataset.drawn = "1";
    });
  }

  function focusFirstField(form) {
    const target = form.querySelector(".has-error input, .has-error select") || form.querySelector("[autofocus]");
    if (target) target.focus();
  }

  // Enter saves the row from any field (selects and checkboxes included), never from a textarea.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.isComposing || event.shiftKey) return;
    const field = event.target;
    const form = field.closest && field.closest("form[data-enter-submits]");
    if (!form || field.tagName === "TEXTAREA" || field.tagName === "BUTTON" || field.tagName === "A") return;
    event.preventDefault();
    form.requestSubmit();
  });

  // After a save the fresh row goes back to its first field (htmx itself would put the focus back
  // on the field that had it, by id); after a refused save, to the first field with an error.
  document.addEventListener("htmx:afterSettle", (event) => {
    const element = event.target;
    if (element.matches && element.matches("form[data-enter-submits]")) focusFirstField(element);
  });

  document.addEventListener("htmx:load", (event) => {
    const element = event.detail.elt;
    drawTrendCharts(element.querySelectorAll ? element : document);
  });

  function init() {
    drawTrendCharts(document);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
