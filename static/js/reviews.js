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
      const datasets = [
        line("Error rate (%)", data.error_rate, COLOURS.error, "percent"),
        line("Correction rate (%)", data.correction_rate, COLOURS.correction, "percent"),
        line("Minutes saved per task", data.minutes_saved, COLOURS.minutes, "minutes"),
      ];
      // An open week is not final: its points stand apart, hollow and dashed, off the trend line.
      if (data.provisional) {
        const provisional = (label, values, colour, axis) => ({
          ...line(`${label}: ${data.provisional_label} (provisional)`, values, colour, axis),
          borderDash: [4, 4], backgroundColor: "#fff", pointRadius: 5, pointStyle: "rectRot", showLine: false,
        });
        datasets.push(
          provisional("Error rate", data.provisional.error_rate, COLOURS.error, "percent"),
          provisional("Correction rate", data.provisional.correction_rate, COLOURS.correction, "percent"),
          provisional("Minutes saved", data.provisional.minutes_saved, COLOURS.minutes, "minutes"),
        );
      }
      new window.Chart(canvas, {
        type: "line",
        data: { labels: data.labels, datasets },
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

  // The day of the week is one Tab stop: the number keys 1–7 pick Monday to Sunday (arrows work too).
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.altKey || event.metaKey || !/^[1-7]$/.test(event.key)) return;
    const group = event.target.closest && event.target.closest("[data-day-choice]");
    if (!group) return;
    const radios = Array.from(group.querySelectorAll('input[type="radio"]'));
    const days = radios.slice(radios.length - 7); // an edited sample's earlier day comes first
    const radio = days[Number(event.key) - 1];
    if (!radio) return;
    event.preventDefault();
    radio.checked = true;
    radio.focus();
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
