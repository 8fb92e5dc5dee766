// The what-if of the kurva distribusi page (templates/sikap/kurva.html): other predikat for
// some pegawai, or another predikat organisasi, recomputed in the browser; nothing is saved.
// The rules come from the server as data (app.services.kurva.rules_data), so only the
// comparison below mirrors app.domain.scoring.kurva_breaches: exact integers, never floats,
// and an empty distribution breaks nothing. tests/unit/test_kurva_js.py holds the two equal.
(function () {
  "use strict";

  // Each rule line of one predikat organisasi checked against a list of predikat
  // (null/"" = not rated): [{key, message, count, total, breached}].
  function check(rules, predikats) {
    var counts = {};
    var total = 0;
    predikats.forEach(function (predikat) {
      if (predikat) {
        counts[predikat] = (counts[predikat] || 0) + 1;
        total += 1;
      }
    });
    return (rules || []).map(function (rule) {
      var count = rule.predikat.reduce(function (sum, predikat) {
        return sum + (counts[predikat] || 0);
      }, 0);
      var broken =
        (rule.at_most !== null && count * 100 > rule.at_most * total) ||
        (rule.at_least !== null && count * 100 < rule.at_least * total) ||
        (rule.at_least_count !== null && count < rule.at_least_count);
      return {
        key: rule.key,
        message: rule.message,
        count: count,
        total: total,
        breached: Boolean(broken && total),
      };
    });
  }

  if (typeof module !== "undefined" && module.exports) {
    module.exports = { check: check };
    return;
  }

  var source = document.getElementById("kurva-data");
  if (!source) {
    return;
  }
  var data = JSON.parse(source.textContent);
  var number = new Intl.NumberFormat(data.locale, {
    minimumFractionDigits: 1,
    maximumFractionDigits: 1,
  });
  var organisasi = document.getElementById("kurva-simulasi-organisasi");
  var reset = document.getElementById("kurva-reset");
  var rows = Array.prototype.slice.call(
    document.querySelectorAll("#kurva-pegawai tr[data-pegawai-id]")
  );
  var rulesBody = document.querySelector("#kurva-aturan tbody");
  var emptyRules = rulesBody.querySelector(".kurva-tanpa-aturan");

  // The table shows one page of the members; data.counts holds every member's predikat,
  // counted ("" = not rated). A what-if moves the changed rows between those counts.
  function expand(counts) {
    var predikats = [];
    Object.keys(counts).forEach(function (predikat) {
      for (var i = 0; i < counts[predikat]; i += 1) {
        predikats.push(predikat || null);
      }
    });
    return predikats;
  }

  function actual() {
    return expand(data.counts);
  }

  function chosen() {
    var counts = Object.assign({}, data.counts);
    rows.forEach(function (row) {
      var before = row.dataset.predikat || "";
      var after = row.querySelector("select.kurva-pilihan").value || "";
      if (before !== after) {
        counts[before] = (counts[before] || 0) - 1;
        counts[after] = (counts[after] || 0) + 1;
      }
    });
    return expand(counts);
  }

  function verdict(cell, line) {
    cell.textContent = line.count + " / " + line.total + " ";
    var label = document.createElement("span");
    label.className = "label " + (line.breached ? "label-danger" : "label-success");
    label.textContent = line.breached ? data.texts.breached : data.texts.met;
    cell.appendChild(label);
  }

  function showDistribution(predikats) {
    var counts = {};
    var total = 0;
    predikats.forEach(function (predikat) {
      if (predikat) {
        counts[predikat] = (counts[predikat] || 0) + 1;
        total += 1;
      }
    });
    document.querySelectorAll("#kurva-distribusi tbody tr[data-predikat]").forEach(function (tr) {
      var count = counts[tr.dataset.predikat] || 0;
      tr.querySelector("[data-whatif-count]").textContent = count;
      tr.querySelector("[data-whatif-persen]").textContent =
        number.format(total ? (100 * count) / total : 0) + " %";
    });
    document.querySelector("#kurva-total [data-whatif-count]").textContent = total;
    document.querySelector("#kurva-belum [data-whatif-count]").textContent =
      predikats.length - total;
  }

  function showRules(now, whatIf) {
    var rules = data.rules[organisasi.value] || [];
    var before = check(rules, now);
    var after = check(rules, whatIf);
    Array.prototype.slice.call(rulesBody.querySelectorAll("tr[data-rule-key]")).forEach(
      function (tr) {
        tr.remove();
      }
    );
    emptyRules.hidden = rules.length > 0;
    after.forEach(function (line, index) {
      var tr = document.createElement("tr");
      tr.dataset.ruleKey = line.key;
      tr.dataset.breached = line.breached ? "1" : "0";
      var message = document.createElement("td");
      message.textContent = line.message;
      var nowCell = document.createElement("td");
      var whatIfCell = document.createElement("td");
      verdict(nowCell, before[index]);
      verdict(whatIfCell, line);
      if (line.breached !== before[index].breached) {
        whatIfCell.className = "info";
      }
      tr.append(message, nowCell, whatIfCell);
      rulesBody.appendChild(tr);
    });
  }

  function update() {
    showDistribution(chosen());
    showRules(actual(), chosen());
    rows.forEach(function (row) {
      var before = row.dataset.predikat || "";
      row.classList.toggle(
        "warning",
        before !== (row.querySelector("select.kurva-pilihan").value || "")
      );
    });
  }

  document.getElementById("kurva-pegawai").addEventListener("change", function (event) {
    if (event.target.matches("select.kurva-pilihan")) {
      update();
    }
  });
  organisasi.addEventListener("change", update);
  reset.addEventListener("click", function () {
    rows.forEach(function (row) {
      row.querySelector("select.kurva-pilihan").value = row.dataset.predikat || "";
    });
    organisasi.value = document.getElementById("predikat-organisasi").dataset.predikat || "";
    update();
  });
  // Without this script the what-if controls stay disabled: they would do nothing.
  [organisasi, reset].concat(
    rows.map(function (row) {
      return row.querySelector("select.kurva-pilihan");
    })
  ).forEach(function (control) {
    control.disabled = false;
  });
})();
