// 长者模式 (适老化) on the public pages: larger text and stronger contrast, switched by a real button
// (keyboard: Tab to it, Enter or Space) and remembered in this browser. The cookie lets the server
// render the next page already enlarged; localStorage keeps the choice if cookies are cleared.
(function () {
  var KEY = "gk-elder", root = document.documentElement, button = document.getElementById("elder-toggle");

  function apply(on) {
    root.classList.toggle("elder", on);
    if (button) button.setAttribute("aria-pressed", on ? "true" : "false");
  }

  function remember(on) {
    try { localStorage.setItem(KEY, on ? "1" : "0"); } catch (e) { /* private browsing: the cookie still works */ }
    document.cookie = "gk_elder=" + (on ? "1" : "0") + "; path=/; max-age=31536000; SameSite=Lax";
  }

  var stored = null;
  try { stored = localStorage.getItem(KEY); } catch (e) { stored = null; }
  if (stored !== null && (stored === "1") !== root.classList.contains("elder")) {
    apply(stored === "1");
    remember(stored === "1");
  }
  if (button) button.addEventListener("click", function () {
    var on = !root.classList.contains("elder");
    apply(on);
    remember(on);
  });
})();
