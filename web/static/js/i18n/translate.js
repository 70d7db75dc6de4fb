// The editors' chrome in Chinese through the libraries' own mechanism: bpmn-js and dmn-js look up
// every label in a `translate` service (diagram-js), which a module passed in `additionalModules`
// replaces. Strings not in the dictionary stay as the library wrote them.
window.gk = window.gk || {};
gk.translateModule = function (dictionary) {
  function translate(template, replacements) {
    replacements = replacements || {};
    template = dictionary[template] || template;
    return template.replace(/{([^}]+)}/g, function (_, key) {
      return replacements[key] !== undefined ? replacements[key] : "{" + key + "}";
    });
  }
  return { translate: ["value", translate] };
};
