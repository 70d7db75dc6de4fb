// The document page while the system works on it: poll the small status endpoint, count the time
// the current step has taken, show an incident in plain words, and update the page in place.
(function () {
  var box = document.getElementById("progress");
  if (!box) return;
  var PROCESSING = ["deidentifying", "publishing"], FINAL = ["published", "taken_down", "withheld", "on_request", "withdrawn"];
  var working = box.querySelector(".working"), incident = box.querySelector(".incident");
  var elapsed = box.querySelector(".elapsed"), since = null, timer = null;

  function show(el, on) { if (on) el.removeAttribute("hidden"); else el.setAttribute("hidden", ""); }

  function seconds(iso) { return Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000)); }

  function words(total) {
    if (total < 60) return total + " 秒";
    var m = Math.floor(total / 60);
    return m < 60 ? m + " 分 " + (total % 60) + " 秒" : Math.floor(m / 60) + " 小时 " + (m % 60) + " 分";
  }

  function tick() { if (since) elapsed.textContent = words(seconds(since)); }

  function renderTasks(tasks) {
    var wrap = document.getElementById("current-tasks");
    if (!wrap) return;
    var list = wrap.querySelector("ul");
    list.textContent = "";
    tasks.forEach(function (t) {
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = "/tasks/" + t.id; a.textContent = t.name;
      li.appendChild(a); list.appendChild(li);
    });
    show(wrap, tasks.length > 0);
  }

  function render(p) {
    var status = document.querySelector("[data-doc-status]");
    if (status) status.textContent = p.status_label;
    box.dataset.status = p.status;
    since = p.working ? p.working.since : null;
    if (p.working) box.querySelector(".work-name").textContent = p.working.name;
    show(working, !!p.working);
    tick();
    box.dataset.working = p.working ? "true" : "false";
    box.dataset.incident = p.incident ? "true" : "false";
    show(incident, !!p.incident);
    if (p.incident) {
      box.querySelector(".incident-message").textContent = p.incident.message;
      var detail = box.querySelector(".incident-detail");
      detail.textContent = p.incident.detail || "";
      show(detail, !!p.incident.detail);
    }
    renderTasks(p.current_tasks || []);
  }

  function busy() {
    return box.dataset.working === "true" || PROCESSING.indexOf(box.dataset.status) >= 0;
  }

  function poll() {
    fetch(box.dataset.url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (resp) { return resp.ok ? resp.json() : null; })
      .then(function (p) { if (p) render(p); schedule(); })
      .catch(schedule);
  }

  // Every 2 s while a worker holds the document; every 10 s while people work on it (or an
  // incident waits for the admin); not at all once its procedure is over.
  function schedule() {
    clearTimeout(timer);
    if (busy()) timer = setTimeout(poll, 2000);
    else if (box.dataset.incident === "true" || FINAL.indexOf(box.dataset.status) < 0) timer = setTimeout(poll, 10000);
  }

  since = elapsed.dataset.since || null;
  tick();
  setInterval(tick, 1000);
  schedule();
})();
