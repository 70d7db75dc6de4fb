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
      if (warnings) warn();
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

    // A name released in one place and pseudonymised in another tells who the pseudonym is: by
    // default a release or an addition applies to every occurrence of the same words.
    var everywhere = root.querySelector(".every-occurrence");
    var warnings = root.querySelector(".redaction-warnings");

    function sameText(f) {
      return findings.filter(function (g) { return g.text === f.text; });
    }

    function warn() {
      var seen = {}, lines = [];
      findings.forEach(function (f) {
        if (seen[f.text]) return;
        seen[f.text] = true;
        var all = sameText(f), kept = all.filter(function (g) { return !g.redacted; });
        var hidden = all.filter(function (g) { return g.redacted; });
        if (!kept.length || !hidden.length) return;
        var alias = hidden[0].replacement ? "「" + hidden[0].replacement + "」" : "处理后的文字";
        lines.push("「" + f.text + "」有 " + kept.length + " 处保留原文，另 " + hidden.length + " 处以" + alias +
                   "代替：保留处会让人看出" + alias + "指的是谁。");
      });
      warnings.textContent = lines.join("\n");
      warnings.hidden = !lines.length;
    }

    view.addEventListener("click", function (ev) {
      var mark = ev.target.closest("mark.finding");
      if (!editable || !mark || window.getSelection().toString()) return;
      var f = findings[parseInt(mark.dataset.index, 10)];
      var next = !f.redacted;
      (everywhere && everywhere.checked ? sameText(f) : [f]).forEach(function (g) { g.redacted = next; });
      save();
    });

    function occurrences(start, end) {
      if (!everywhere || !everywhere.checked) return [[start, end]];
      var words = text.slice(start, end), out = [], at = text.indexOf(words);
      while (at >= 0) { out.push([at, at + words.length]); at = text.indexOf(words, at + words.length); }
      return out;
    }

    root.querySelector(".add-finding").addEventListener("click", function () {
      var sel = window.getSelection();
      if (!sel.rangeCount || !sel.toString()) { gk.show(status, "请先在文字中选中要处理的部分", true); return; }
      var range = sel.getRangeAt(0);
      var start = offsetOf(range.startContainer, range.startOffset);
      var end = offsetOf(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) { gk.show(status, "请在本栏文字范围内选择", true); return; }
      var overlaps = findings.some(function (f) { return f.start < end && start < f.end; });
      if (overlaps) { gk.show(status, "选中的文字与已有标注重叠", true); return; }
      var kind = root.querySelector(".finding-kind").value;
      occurrences(start, end).forEach(function (span) {
        var clash = findings.some(function (f) { return f.start < span[1] && span[0] < f.end; });
        if (!clash) findings.push({ start: span[0], end: span[1], kind: kind, redacted: true, reason: "manual" });
      });
      sel.removeAllRanges();
      save();
    });

    render();
  }

  document.querySelectorAll("section.redaction").forEach(setup);
})();
