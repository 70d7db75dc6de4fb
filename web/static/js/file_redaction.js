// A file's check on the confirmation page: the findings of its text (redaction.js's block, whose
// controller this shares) drawn as boxes on the page images and as marked cells of a sheet; a box or
// a cell toggles its finding, an unmarked cell becomes one; regions are drawn with the mouse or typed
// as percentages (the keyboard's way); each file is confirmed, or kept out of publication.
(function () {
  function request(method, url, body) {
    return fetch(url, {
      method: method, credentials: "same-origin", body: JSON.stringify(body || {}),
      headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": gk.csrf() }
    }).then(function (r) { return r.json().catch(function () { return {}; }).then(function (b) { return { ok: r.ok, body: b }; }); });
  }

  function setup(root) {
    var api = root.dataset.api;
    var editable = root.dataset.editable === "true";
    var status = root.querySelector(".file-action-status");
    var confirmed = root.querySelector(".file-status");
    var dataEl = root.querySelector(".file-data");
    var textBlock = root.querySelector("section.redaction");
    var text = textBlock && textBlock.gkRedaction;
    var data = dataEl ? JSON.parse(dataEl.textContent) : { places: [], regions: [] };
    var places = data.places, regions = data.regions;

    function unconfirmed() {
      confirmed.textContent = "尚未确认（修改后须重新确认）";
      confirmed.dataset.confirmed = "false";
    }

    function place(el, frame, x0, y0, x1, y1) {
      var w = parseFloat(frame.dataset.width), h = parseFloat(frame.dataset.height);
      el.style.left = (100 * x0 / w) + "%";
      el.style.top = (100 * y0 / h) + "%";
      el.style.width = (100 * (x1 - x0) / w) + "%";
      el.style.height = (100 * (y1 - y0) / h) + "%";
    }

    function box(frame, cls, label, onPress) {
      var el = document.createElement("button");
      el.type = "button";
      el.className = "page-box " + cls;
      el.setAttribute("aria-label", label);
      el.title = label;
      el.disabled = !editable;
      el.addEventListener("click", function (ev) { ev.stopPropagation(); onPress(); });
      el.addEventListener("mousedown", function (ev) { ev.stopPropagation(); });
      frame.appendChild(el);
      return el;
    }

    function drawPages() {
      var findings = text ? text.findings() : [];
      root.querySelectorAll(".page-frame").forEach(function (frame) {
        var page = parseInt(frame.dataset.page, 10);
        frame.querySelectorAll(".page-box").forEach(function (el) { el.remove(); });
        findings.forEach(function (f, i) {
          ((places[i] || {}).boxes || []).forEach(function (b) {
            if (b[0] !== page) return;
            var label = f.text + " " + gk.kindName(f.kind) + (f.redacted ? "（将处理，按回车保留）" : "（保留，按回车处理）");
            place(box(frame, f.redacted ? "redacted" : "kept", label, function () { text.toggle(i); }), frame, b[1], b[2], b[3], b[4]);
          });
        });
        regions.forEach(function (r, j) {
          if (r.page !== page) return;
          var label = "手工遮盖区域 " + (j + 1) + "（按回车删除）";
          place(box(frame, "region", label, function () { saveRegions(regions.filter(function (_, k) { return k !== j; })); }),
                frame, r.x0, r.y0, r.x1, r.y1);
        });
      });
    }

    function drawCells() {
      var findings = text ? text.findings() : [];
      root.querySelectorAll(".sheet-grid button.cell").forEach(function (cell) {
        var start = parseInt(cell.dataset.start, 10), end = parseInt(cell.dataset.end, 10);
        var hit = findings.findIndex(function (f) { return f.start < end && start < f.end; });
        cell.className = "cell" + (hit < 0 ? "" : findings[hit].redacted ? " redacted" : " kept");
        cell.dataset.finding = hit;
        cell.setAttribute("aria-pressed", hit >= 0 && findings[hit].redacted ? "true" : "false");
      });
    }

    function redraw(body) {
      if (body && body.places) places = body.places;
      if (body && body.regions) regions = body.regions;
      drawPages();
      drawCells();
    }

    function saveRegions(next) {
      gk.show(status, "保存中…");
      request("PUT", api + "/redaction", { regions: next }).then(function (res) {
        if (!res.ok) { gk.show(status, (res.body.error || {}).message || "保存失败", true); return; }
        redraw(res.body);
        unconfirmed();
        gk.show(status, "已保存");
      });
    }

    function addRegion(page, x0, y0, x1, y1) {
      if (x1 - x0 < 1 || y1 - y0 < 1) return;
      saveRegions(regions.concat([{ page: page, x0: x0, y0: y0, x1: x1, y1: y1 }]));
    }

    if (text) text.onSaved(function (body) { redraw(body); unconfirmed(); });

    root.querySelectorAll(".sheet-grid button.cell").forEach(function (cell) {
      cell.addEventListener("click", function () {
        var hit = parseInt(cell.dataset.finding, 10);
        if (hit >= 0) text.toggle(hit);
        else text.add(parseInt(cell.dataset.start, 10), parseInt(cell.dataset.end, 10));
      });
    });

    // Drawing a region with the mouse, in the page's own units.
    root.querySelectorAll(".page-frame").forEach(function (frame) {
      if (!editable) return;
      var from = null, draft = null;
      function point(ev) {
        var rect = frame.getBoundingClientRect();
        var x = Math.min(Math.max(ev.clientX - rect.left, 0), rect.width), y = Math.min(Math.max(ev.clientY - rect.top, 0), rect.height);
        return { x: x * parseFloat(frame.dataset.width) / rect.width, y: y * parseFloat(frame.dataset.height) / rect.height };
      }
      frame.addEventListener("mousedown", function (ev) {
        ev.preventDefault();
        from = point(ev);
        draft = document.createElement("div");
        draft.className = "page-draft";
        frame.appendChild(draft);
      });
      frame.addEventListener("mousemove", function (ev) {
        if (!from) return;
        var to = point(ev);
        place(draft, frame, Math.min(from.x, to.x), Math.min(from.y, to.y), Math.max(from.x, to.x), Math.max(from.y, to.y));
      });
      window.addEventListener("mouseup", function (ev) {
        if (!from) return;
        var to = point(ev), start = from;
        from = null;
        draft.remove();
        addRegion(parseInt(frame.dataset.page, 10), Math.min(start.x, to.x), Math.min(start.y, to.y),
                  Math.max(start.x, to.x), Math.max(start.y, to.y));
      });
    });

    // The keyboard's way to a region: its page and edges as percentages of the page.
    var add = root.querySelector(".add-region");
    if (add) add.addEventListener("click", function () {
      var page = parseInt(root.querySelector(".region-page").value, 10);
      var frame = root.querySelector('.page-frame[data-page="' + page + '"]');
      var w = parseFloat(frame.dataset.width), h = parseFloat(frame.dataset.height);
      function pct(cls, size) { return Math.min(Math.max(parseFloat(root.querySelector(cls).value) || 0, 0), 100) * size / 100; }
      addRegion(page, pct(".region-x0", w), pct(".region-y0", h), pct(".region-x1", w), pct(".region-y1", h));
    });

    function decide(withhold) {
      gk.show(status, withhold ? "处理中…" : "正在生成去标识化文件…");
      request("POST", api + "/confirm", { withhold: withhold }).then(function (res) {
        if (!res.ok) { gk.show(status, (res.body.error || {}).message || "确认失败", true); return; }
        confirmed.textContent = withhold ? "已决定不发布此文件（" + res.body.confirmed_by + "）"
                                         : "已确认，将发布去标识化版本（" + res.body.confirmed_by + "）";
        confirmed.dataset.confirmed = "true";
        gk.show(status, "");
      });
    }
    var confirmButton = root.querySelector(".confirm-file");
    if (confirmButton) confirmButton.addEventListener("click", function () { decide(false); });
    var withholdButton = root.querySelector(".withhold-file");
    if (withholdButton) withholdButton.addEventListener("click", function () { decide(true); });

    redraw();
  }

  document.querySelectorAll("section.file-check").forEach(setup);
})();
