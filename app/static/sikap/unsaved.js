// Warn before leaving a page whose form holds typed, unsaved input (issue 14: realisasi typed
// into three boxes was lost by saving one). A form opts in with data-warn-unsaved; its fields
// may sit elsewhere on the page (form="…"). Sending that form is not leaving it unsaved; a
// form the server refused comes back with what was typed and data-unsaved: still unsaved.
(function () {
  "use strict";
  var dirty = document.querySelector("form[data-warn-unsaved][data-unsaved]") !== null;

  function watched(target) {
    var form = target && target.form;
    return form && form.hasAttribute("data-warn-unsaved") ? form : null;
  }

  document.addEventListener("input", function (event) {
    if (watched(event.target)) { dirty = true; }
  });
  document.addEventListener("change", function (event) {
    if (watched(event.target)) { dirty = true; }
  });
  document.addEventListener("submit", function (event) {
    if (!event.defaultPrevented && event.target.hasAttribute("data-warn-unsaved")) { dirty = false; }
  });
  window.addEventListener("beforeunload", function (event) {
    if (!dirty) { return undefined; }
    event.preventDefault();
    event.returnValue = "";  // browsers show their own text; some need a value set
    return "";
  });
})();
