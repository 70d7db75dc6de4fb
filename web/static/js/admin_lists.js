// "New decision table" / "new form": go to the editor for the name typed in.
[["new-decision", "name", "/admin/decisions/"], ["new-form", "key", "/admin/forms/"]].forEach(function (spec) {
  var form = document.getElementById(spec[0]);
  if (!form) return;
  form.addEventListener("submit", function (event) {
    event.preventDefault();  // no inline handler: the Content-Security-Policy allows none
    var input = form.elements[spec[1]];
    if (input.checkValidity()) window.location.href = spec[2] + encodeURIComponent(input.value) + "/edit";
  });
});
