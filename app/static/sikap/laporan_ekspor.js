// The progress of a report written in the background (templates/sikap/laporan_ekspor.html):
// asks the status URL (/api/v1/laporan/ekspor/<token>, the same answer the REST API gives)
// every second and moves the bar, until the file is ready, failed or expired.
(function () {
  "use strict";

  var page = document.getElementById("ekspor");
  if (!page) {
    return;
  }
  var DONE = { selesai: true, gagal: true, kedaluwarsa: true };
  var INTERVAL_MS = 1000;
  var labels = JSON.parse(page.dataset.labels);
  var number = new Intl.NumberFormat(page.dataset.locale);
  var bar = page.querySelector("#ekspor-progress .progress-bar");
  var rows = document.getElementById("ekspor-baris");
  var state = document.getElementById("ekspor-status");
  var ready = document.getElementById("ekspor-siap");
  var failure = document.getElementById("ekspor-galat");

  function show(answer) {
    var total = answer.rows_total;
    var written = Math.min(answer.rows_written, total);
    var percent = total ? Math.round((100 * written) / total) : 100;
    if (answer.status === "selesai") {
      percent = 100;
    }
    bar.style.width = percent + "%";
    bar.textContent = percent + "%";
    bar.setAttribute("aria-valuenow", String(written));
    bar.classList.toggle("progress-bar-success", answer.status === "selesai");
    bar.classList.toggle("progress-bar-danger", answer.status === "gagal");
    rows.textContent = page.dataset.rowsText
      .replace("{written}", number.format(written))
      .replace("{total}", number.format(total));
    state.textContent = labels[answer.status] || answer.status;
    page.dataset.status = answer.status;
    ready.hidden = answer.status !== "selesai";
    failure.hidden = !answer.message;
    failure.textContent = answer.message || "";
  }

  function poll() {
    fetch(page.dataset.statusUrl, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(function (answer) {
        show(answer);
        if (!DONE[answer.status]) {
          window.setTimeout(poll, INTERVAL_MS);
        }
      })
      .catch(function () {
        // A network hiccup or a restart of the server: try again a little later.
        window.setTimeout(poll, INTERVAL_MS * 5);
      });
  }

  if (!DONE[page.dataset.status]) {
    window.setTimeout(poll, INTERVAL_MS);
  }
})();
