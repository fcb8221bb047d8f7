/* Trame — progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  // Print buttons: hidden without JavaScript (the browser's own print command works the same).
  document.querySelectorAll(".js-print").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
  // Facet groups: remember which ones the user opened or closed on this device.
  document.querySelectorAll("details[data-facet]").forEach(function (d) {
    var key = "trame.facet." + d.getAttribute("data-facet");
    try {
      var v = window.localStorage.getItem(key);
      if (v === "open" && !d.open) d.open = true;
      d.addEventListener("toggle", function () { window.localStorage.setItem(key, d.open ? "open" : "closed"); });
    } catch (e) { /* storage unavailable: nothing to remember */ }
  });
})();
