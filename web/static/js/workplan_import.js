// The import preview: send the file or text to /api/workplans/import, show the rows for correction,
// map or create the units the department list does not know, then create the plan. Each row shows
// the deadline the server computes (from the plan's words, or a rule and the congress date); a row
// whose deadline has passed asks the office what to do with it before anything is created.
(function () {
  var labels = gk.embedded("labels"), departments = gk.embedded("departments");
  var rows = [], unknown = [], suggested = {};
  var $ = function (id) { return document.getElementById(id); };

  // Each input is named by its column's heading and its row's number (screen readers, axe).
  function cell(tag, value, cls, row, column) {
    var td = document.createElement("td"), input = document.createElement(tag);
    var heading = document.querySelectorAll("#preview thead th")[column];
    input.value = value;
    input.setAttribute("aria-label", "第" + (row + 1) + "行 " + (heading ? heading.textContent.trim() : ""));
    if (cls) input.className = cls;
    if (tag === "textarea") input.rows = 3;
    td.appendChild(input);
    return td;
  }

  function renderRows() {
    var body = $("preview-rows");
    body.textContent = "";
    var flagged = 0;
    rows.forEach(function (row, i) {
      var tr = document.createElement("tr");
      tr.dataset.index = i;
      if (row.problems.length) { tr.className = "needs-check"; flagged += 1; }
      tr.appendChild(cell("input", row.section, "section", i, 0));
      var task = cell("textarea", row.task, "task", i, 1);
      row.problems.forEach(function (p) {
        var tag = document.createElement("span");
        tag.className = "tag";
        tag.textContent = labels[p] || p;
        task.appendChild(tag);
      });
      tr.appendChild(task);
      tr.appendChild(cell("input", row.lead_units.join("、"), "lead", i, 2));
      tr.appendChild(cell("input", row.assist_units.join("、"), "assist", i, 3));
      var deadline = cell("input", row.deadline, "deadline", i, 4);
      deadline.firstChild.addEventListener("change", recheck);
      tr.appendChild(deadline);
      tr.appendChild(dueCell(row));
      tr.appendChild(cell("input", row.note, "note", i, 6));
      var td = document.createElement("td"), remove = document.createElement("button");
      remove.type = "button"; remove.textContent = labels.remove; remove.className = "remove-row";
      remove.addEventListener("click", function () { readRows(); rows.splice(i, 1); renderRows(); });
      td.appendChild(remove); tr.appendChild(td);
      body.appendChild(tr);
    });
    $("row-count").textContent = labels.rows.replace("{n}", rows.length).replace("{m}", flagged);
  }

  // The computed deadline, the rule checkbox and, for a passed deadline, the office's choice.
  function dueCell(row) {
    var td = document.createElement("td");
    var due = document.createElement("span");
    due.className = "due-on";
    due.textContent = row.due_on || (row.rule ? labels.waiting_congress : labels.year_end);
    td.appendChild(due);
    var label = document.createElement("label"), box = document.createElement("input");
    label.className = "inline";
    box.type = "checkbox"; box.className = "rule"; box.checked = Boolean(row.rule);
    box.addEventListener("change", recheck);
    label.appendChild(box);
    label.appendChild(document.createTextNode(" " + labels.rule));
    td.appendChild(label);
    if (row.rule_text) {
      var rule = document.createElement("span");
      rule.className = "hint rule-text"; rule.textContent = row.rule_text;
      td.appendChild(rule);
    }
    if (row.deadline_passed) {
      var tag = document.createElement("span");
      tag.className = "tag passed"; tag.textContent = labels.passed;
      td.appendChild(tag);
      var select = document.createElement("select");
      select.className = "overdue"; select.setAttribute("aria-label", labels.passed);
      [["", labels.choose], ["escalate", labels.escalate], ["reschedule", labels.reschedule],
       ["completed", labels.completed]].forEach(function (o) { select.appendChild(new Option(o[1], o[0])); });
      select.value = row.overdue_choice || "";
      var newDue = document.createElement("input");
      newDue.type = "date"; newDue.className = "new-due"; newDue.value = row.new_due_on || "";
      newDue.setAttribute("aria-label", labels.reschedule);
      var note = document.createElement("input");
      note.className = "completion-note"; note.placeholder = labels.completion_note; note.value = row.completion_note || "";
      note.setAttribute("aria-label", labels.completion_note);
      var sync = function () { newDue.hidden = select.value !== "reschedule"; note.hidden = select.value !== "completed"; };
      select.addEventListener("change", sync);
      sync();
      td.appendChild(select); td.appendChild(newDue); td.appendChild(note);
    }
    return td;
  }

  function renderUnknown() {
    var list = $("unknown-list");
    list.textContent = "";
    $("unknown-units").hidden = unknown.length === 0;
    unknown.forEach(function (name) {
      var tr = document.createElement("tr"), th = document.createElement("th"), td = document.createElement("td");
      th.textContent = name;
      var select = document.createElement("select");
      select.dataset.unit = name;
      select.setAttribute("aria-label", name);
      var create = new Option(labels.create, "__create__");
      select.appendChild(create);
      departments.forEach(function (d) { select.appendChild(new Option(labels.map + " " + d, d)); });
      // Another spelling of a unit named earlier in this plan: merge it into that one.
      unknown.slice(0, unknown.indexOf(name)).forEach(function (u) { select.appendChild(new Option(labels.merge + " " + u, u)); });
      td.appendChild(select);
      if (suggested[name]) {  // "did you mean": 区发改局 for 区发展和改革局
        select.value = suggested[name];
        var hint = document.createElement("span");
        hint.className = "hint did-you-mean";
        hint.textContent = labels.did_you_mean.replace("{name}", suggested[name]);
        td.appendChild(hint);
      }
      tr.appendChild(th); tr.appendChild(td);
      list.appendChild(tr);
    });
  }

  function split(text) {
    return text.split(/[、，,；;\s]+/).map(function (s) { return s.trim(); }).filter(Boolean);
  }

  function readRows() {
    document.querySelectorAll("#preview-rows tr").forEach(function (tr) {
      var row = rows[Number(tr.dataset.index)];
      row.section = tr.querySelector(".section").value;
      row.task = tr.querySelector(".task").value;
      row.lead_units = split(tr.querySelector(".lead").value);
      row.assist_units = split(tr.querySelector(".assist").value);
      row.deadline = tr.querySelector(".deadline").value;
      row.note = tr.querySelector(".note").value;
      row.rule = tr.querySelector(".rule").checked ? "poverty_fund_plan" : null;
      var choice = tr.querySelector(".overdue");
      row.overdue_choice = choice ? choice.value || null : null;
      row.new_due_on = choice ? tr.querySelector(".new-due").value || null : null;
      row.completion_note = choice ? tr.querySelector(".completion-note").value : "";
    });
  }

  // Ask the server for the rows' deadlines again (year, congress date, rule or wording changed).
  function recheck() {
    readRows();
    var body = { rows: rows, year: Number($("plan-year").value), congress_ends_on: $("plan-congress").value || null };
    gk.postJSON("/api/workplans/import", body).then(function (result) {
      if (!result.ok) { gk.show($("preview-message"), labels.failed + (result.body.error || {}).message, true); return; }
      result.body.rows.forEach(function (fresh, i) {
        ["due_on", "rule", "rule_text", "deadline_passed"].forEach(function (k) { rows[i][k] = fresh[k]; });
      });
      renderRows();
    });
  }

  function guessYear(text) {
    var found = /(20\d\d)年/.exec(text || "");
    return found ? Number(found[1]) : new Date().getFullYear();
  }

  function preview() {
    var file = $("plan-file").files[0], text = $("plan-text").value;
    gk.show($("preview-message"), labels.reading);
    var request;
    if (file) {
      var form = new FormData();
      form.append("file", file);
      request = fetch("/api/workplans/import", { method: "POST", body: form, credentials: "same-origin",
        headers: { "Accept": "application/json", "X-CSRFToken": gk.csrf() } })
        .then(function (resp) { return resp.json().then(function (body) { return { ok: resp.ok, body: body }; }); });
    } else {
      request = gk.postJSON("/api/workplans/import", { text: text });
    }
    request.then(function (result) {
      if (!result.ok) {
        gk.show($("preview-message"), labels.failed + (result.body.error || {}).message, true);
        return;
      }
      gk.show($("preview-message"), "");
      rows = result.body.rows;
      unknown = result.body.unknown_units;
      suggested = result.body.suggestions || {};
      $("plan-year").value = result.body.year || guessYear(text || (file && file.name));
      $("plan-title").value = $("plan-title").value || result.body.title || (file ? file.name.replace(/\.\w+$/, "") : "");
      $("preview").hidden = false;
      renderUnknown();
      renderRows();
    });
  }

  function create() {
    readRows();
    var mapping = {}, created = [];
    document.querySelectorAll("#unknown-list select").forEach(function (select) {
      if (select.value === "__create__") created.push(select.dataset.unit);
      else mapping[select.dataset.unit] = select.value;
    });
    var mapUnits = function (names) { return names.map(function (n) { return mapping[n] || n; }); };
    var body = {
      year: Number($("plan-year").value), title: $("plan-title").value, report_cycle: $("plan-cycle").value,
      new_units: created, congress_ends_on: $("plan-congress").value || null,
      rows: rows.map(function (r) {
        return { section: r.section, task: r.task, lead_units: mapUnits(r.lead_units),
                 assist_units: mapUnits(r.assist_units), deadline: r.deadline, note: r.note, rule: r.rule,
                 overdue_choice: r.overdue_choice, new_due_on: r.new_due_on, completion_note: r.completion_note };
      })
    };
    gk.postJSON("/api/workplans", body).then(function (result) {
      if (result.ok) {
        gk.show($("create-message"), labels.created);
        window.location = "/workplans/" + result.body.id;
      } else {
        showBlocking(result.body);
      }
    });
  }

  // Every row that blocks the plan at once: numbered, each a link to its row, the rows highlighted.
  function showBlocking(body) {
    var message = $("create-message"), problems = body.errors || [];
    document.querySelectorAll("#preview-rows tr.blocking").forEach(function (tr) { tr.classList.remove("blocking"); });
    gk.show(message, problems.length ? labels.blocking.replace("{n}", problems.length) : (body.error || {}).message, true);
    if (!problems.length) return;
    var list = document.createElement("ol");
    list.id = "blocking-rows";
    problems.forEach(function (p) {
      var tr = document.querySelector('#preview-rows tr[data-index="' + (p.row - 1) + '"]');
      if (tr) { tr.classList.add("blocking"); tr.id = "plan-row-" + p.row; }
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "#plan-row-" + p.row;
      a.textContent = p.message;
      a.addEventListener("click", function () { if (tr) tr.querySelector(".task").focus(); });
      li.appendChild(a);
      list.appendChild(li);
    });
    message.appendChild(list);
  }

  $("preview-button").addEventListener("click", preview);
  $("recheck-button").addEventListener("click", recheck);
  $("plan-year").addEventListener("change", recheck);
  $("plan-congress").addEventListener("change", recheck);
  $("create-button").addEventListener("click", create);
})();
