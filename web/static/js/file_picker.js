// File choosers with a drop zone and the list of chosen files (name, size, remove). The chosen files
// are written back into the input, so a plain form post sends exactly the list shown.
(function () {
  window.gk = window.gk || {};

  gk.fileSize = function (n) {
    if (n === null || n === undefined) return "—";
    if (n < 1024) return n + " 字节";
    return n < 1048576 ? (n / 1024).toFixed(1) + " KB" : (n / 1048576).toFixed(1) + " MB";
  };

  gk.filePicker = function (root) {
    var input = root.querySelector("input[type=file]");
    var list = root.querySelector(".file-list");
    var zone = root.querySelector(".drop-zone");
    var multiple = root.hasAttribute("data-multiple");
    var chosen = [];
    var problems = {};

    function sync() {
      var transfer = new DataTransfer();
      chosen.forEach(function (file) { transfer.items.add(file); });
      input.files = transfer.files;
    }

    function render() {
      list.textContent = "";
      chosen.forEach(function (file, i) {
        var item = document.createElement("li");
        item.dataset.name = file.name;
        var name = document.createElement("span");
        name.className = "file-name";
        name.textContent = file.name;
        var size = document.createElement("span");
        size.className = "muted";
        size.textContent = " " + gk.fileSize(file.size) + " ";
        var remove = document.createElement("button");
        remove.type = "button";
        remove.className = "link-button";
        remove.textContent = "移除";
        remove.setAttribute("aria-label", "移除 " + file.name);
        remove.addEventListener("click", function () {
          chosen.splice(i, 1);
          sync();
          render();
          input.focus();
        });
        item.append(name, size, remove);
        if (problems[file.name]) {
          var why = document.createElement("span");
          why.className = "field-error";
          why.textContent = problems[file.name];
          item.classList.add("refused");
          item.appendChild(why);
        }
        list.appendChild(item);
      });
    }

    function add(files) {
      var incoming = Array.prototype.slice.call(files);
      chosen = multiple ? chosen.concat(incoming) : incoming.slice(0, 1);
      sync();
      render();
    }

    input.addEventListener("change", function () {
      add(input.files);  // the input now holds only the new choice: add it to the list kept so far
    });
    zone.addEventListener("dragover", function (ev) { ev.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", function () { zone.classList.remove("over"); });
    zone.addEventListener("drop", function (ev) {
      ev.preventDefault();
      zone.classList.remove("over");
      add(ev.dataTransfer.files);
    });

    return {
      files: function () { return chosen.slice(); },
      clear: function () { chosen = []; problems = {}; sync(); render(); },
      // Mark the refused files with the server's reason (each message names its file).
      refuse: function (messages) {
        problems = {};
        chosen.forEach(function (file) {
          var said = (messages || []).filter(function (m) { return m.indexOf(file.name) >= 0; });
          if (said.length) problems[file.name] = said.join("；");
        });
        render();
      }
    };
  };
})();
