// dmn-js's distributed bundle ships Inferno's development build, which logs one console.error
// ("minified copy of the development build") on load. Drop exactly that message; all others pass.
(function () {
  var original = console.error;
  console.error = function (first) {
    if (typeof first === "string" && first.indexOf("minified copy of the development build of Inferno") !== -1) return;
    return original.apply(console, arguments);
  };
})();
