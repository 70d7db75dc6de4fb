// Clicking anywhere on a task row opens the task (links and buttons keep their own behaviour).
document.querySelectorAll("tr[data-href]").forEach(function (row) {
  row.addEventListener("click", function (event) {
    if (event.target.closest("a, button, form, input")) return;
    window.location.href = row.dataset.href;
  });
});
