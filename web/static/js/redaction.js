// The publisher's redaction check, one block per published field: render findings over the
// original; toggling a finding or marking a selection saves at once, and the preview shows exactly
// the text that will be published for that field.
(function () {
  function setup(root) {
    var data = JSON.parse(root.querySelector(".redaction-data").textContent);
    var text = data.text, findings = data.findings || [];
    var view = root.querySelector(".redaction-view");
    var preview = root.querySelector(".redacted-preview");
    var editable = root.dataset.editable === "true";
    var status = root.querySelector(".redaction-status");

    function span(cls, start, content) {
      var el = document.createElement(cls ? "mark" : "span");
      if (cls) el.className = cls;
      el.dataset.start = start;
      el.textContent = content;
      return el;
    }

    function render() {
      view.textContent = "";
      var cursor = 0;
      findings.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (f) {
        if (f.start > cursor) view.appendChild(span("", cursor, text.slice(cursor, f.start)));
        var mark = span("finding " + (f.redacted ? "redacted" : "kept"), f.start, text.slice(f.start, f.end));
        mark.title = f.kind + (f.redacted ? "（将处理）" : "（保留）") + (editable ? "，点击切换" : "");
        mark.dataset.index = findings.indexOf(f);
        view.appendChild(mark);
        cursor = f.end;
      });
      if (cursor < text.length) view.appendChild(span("", cursor, text.slice(cursor)));
    }

    function save() {
      gk.show(status, "保存中…");
      return fetch(root.dataset.saveUrl, {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": gk.csrf(), "Accept": "application/json" },
        body: JSON.stringify({ field: root.dataset.field, findings: findings })
      }).then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
        .then(function (res) {
          if (!res.ok) { gk.show(status, (res.body.error || {}).message || "保存失败", true); return; }
          findings = res.body.findings;
          preview.textContent = res.body.redacted_text;
          render();
          gk.show(status, "已保存");
        });
    }

    function offsetOf(node, offset) {
      var el = node.nodeType === 3 ? node.parentElement : node;
      if (!el || !view.contains(el) || el.dataset.start === undefined) return null;
      return parseInt(el.dataset.start, 10) + offset;
    }

    view.addEventListener("click", function (ev) {
      var mark = ev.target.closest("mark.finding");
      if (!editable || !mark || window.getSelection().toString()) return;
      var f = findings[parseInt(mark.dataset.index, 10)];
      f.redacted = !f.redacted;
      save();
    });

    root.querySelector(".add-finding").addEventListener("click", function () {
      var sel = window.getSelection();
      if (!sel.rangeCount || !sel.toString()) { gk.show(status, "请先在文字中选中要处理的部分", true); return; }
      var range = sel.getRangeAt(0);
      var start = offsetOf(range.startContainer, range.startOffset);
      var end = offsetOf(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) { gk.show(status, "请在本栏文字范围内选择", true); return; }
      var overlaps = findings.some(function (f) { return f.start < end && start < f.end; });
      if (overlaps) { gk.show(status, "选中的文字与已有标注重叠", true); return; }
      findings.push({ start: start, end: end, kind: root.querySelector(".finding-kind").value,
                      redacted: true, reason: "manual" });
      sel.removeAllRanges();
      save();
    });

    render();
  }

  document.querySelectorAll("section.redaction").forEach(setup);
})();
