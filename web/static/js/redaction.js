// The publisher's redaction check, one block per published field and per file's text: render
// findings over the original; toggling a finding or marking a selection (or typed text) saves at
// once, and the preview shows exactly the text that will be published. Each block's controller
// (`root.gkRedaction`) lets a file's pages and cells toggle and add the same findings.
(function () {
  var KINDS = { person_name: "姓名", id_card: "身份证号", mobile: "手机号", landline: "固定电话", bank_card: "银行卡号",
                address: "住址", email: "电子邮箱", plate: "车牌号", passport: "护照号",
                credit_code_individual: "统一社会信用代码", cc_list: "抄送" };
  window.gk = window.gk || {};
  gk.kindName = function (kind) { return KINDS[kind] || kind; };

  function setup(root) {
    var data = JSON.parse(root.querySelector(".redaction-data").textContent);
    var text = data.text, findings = data.findings || [];
    var view = root.querySelector(".redaction-view");
    var preview = root.querySelector(".redacted-preview");
    var editable = root.dataset.editable === "true";
    var status = root.querySelector(".redaction-status");
    var listeners = [];

    function span(cls, start, content) {
      var el = document.createElement(cls ? "mark" : "span");
      if (cls) el.className = cls;
      el.dataset.start = start;
      el.textContent = content;
      return el;
    }

    function describe(f) {
      return gk.kindName(f.kind) + (f.redacted ? "（将处理）" : "（保留）");
    }

    function render() {
      view.textContent = "";
      var cursor = 0;
      findings.slice().sort(function (a, b) { return a.start - b.start; }).forEach(function (f) {
        if (f.start > cursor) view.appendChild(span("", cursor, text.slice(cursor, f.start)));
        var mark = span("finding " + (f.redacted ? "redacted" : "kept"), f.start, text.slice(f.start, f.end));
        mark.title = describe(f) + (editable ? "，点击或按回车切换" : "");
        mark.dataset.index = findings.indexOf(f);
        if (editable) {
          mark.tabIndex = 0;
          mark.setAttribute("role", "button");
          mark.setAttribute("aria-pressed", f.redacted ? "true" : "false");
          mark.setAttribute("aria-label", text.slice(f.start, f.end) + " " + describe(f));
        }
        view.appendChild(mark);
        cursor = Math.max(cursor, f.end);
      });
      if (cursor < text.length) view.appendChild(span("", cursor, text.slice(cursor)));
    }

    function save() {
      gk.show(status, "保存中…");
      return fetch(root.dataset.saveUrl, {
        method: root.dataset.saveMethod || "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": gk.csrf(), "Accept": "application/json" },
        body: JSON.stringify({ field: root.dataset.field, findings: findings })
      }).then(function (r) { return r.json().then(function (b) { return { ok: r.ok, body: b }; }); })
        .then(function (res) {
          if (!res.ok) { gk.show(status, (res.body.error || {}).message || "保存失败", true); return; }
          findings = res.body.findings;
          preview.textContent = res.body.redacted_text;
          render();
          gk.show(status, "已保存");
          listeners.forEach(function (fn) { fn(res.body); });
        });
    }

    function toggle(index) {
      var f = findings[index];
      if (!editable || !f) return;
      f.redacted = !f.redacted;
      save();
    }

    function add(start, end) {
      if (findings.some(function (f) { return f.start < end && start < f.end; })) {
        gk.show(status, "选中的文字与已有标注重叠", true);
        return false;
      }
      findings.push({ start: start, end: end, kind: root.querySelector(".finding-kind").value,
                      redacted: true, reason: "manual" });
      save();
      return true;
    }

    function offsetOf(node, offset) {
      var el = node.nodeType === 3 ? node.parentElement : node;
      if (!el || !view.contains(el) || el.dataset.start === undefined) return null;
      return parseInt(el.dataset.start, 10) + offset;
    }

    view.addEventListener("click", function (ev) {
      var mark = ev.target.closest("mark.finding");
      if (!mark || window.getSelection().toString()) return;
      toggle(parseInt(mark.dataset.index, 10));
    });
    view.addEventListener("keydown", function (ev) {
      var mark = ev.target.closest("mark.finding");
      if (!mark || (ev.key !== "Enter" && ev.key !== " ")) return;
      ev.preventDefault();
      toggle(parseInt(mark.dataset.index, 10));
    });

    root.querySelector(".add-finding").addEventListener("click", function () {
      var sel = window.getSelection();
      if (!sel.rangeCount || !sel.toString()) { gk.show(status, "请先在文字中选中要处理的部分", true); return; }
      var range = sel.getRangeAt(0);
      var start = offsetOf(range.startContainer, range.startOffset);
      var end = offsetOf(range.endContainer, range.endOffset);
      if (start === null || end === null || end <= start) { gk.show(status, "请在本栏文字范围内选择", true); return; }
      if (add(start, end)) sel.removeAllRanges();
    });

    // The keyboard's way to mark a missed span: type it; the first occurrence not yet marked is.
    var typed = root.querySelector(".find-text");
    root.querySelector(".add-typed").addEventListener("click", function () {
      var wanted = typed.value.trim(), from = 0, at;
      if (!wanted) { gk.show(status, "请输入要标记的文字", true); return; }
      while ((at = text.indexOf(wanted, from)) >= 0) {
        var end = at + wanted.length;
        if (!findings.some(function (f) { return f.start < end && at < f.end; })) {
          add(at, end);
          typed.value = "";
          return;
        }
        from = at + 1;
      }
      gk.show(status, "文中没有未标注的“" + wanted + "”", true);
    });

    render();
    return {
      findings: function () { return findings; },
      toggle: toggle,
      add: add,
      onSaved: function (fn) { listeners.push(fn); }
    };
  }

  document.querySelectorAll("section.redaction").forEach(function (root) { root.gkRedaction = setup(root); });
})();
