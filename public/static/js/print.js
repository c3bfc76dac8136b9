// The printed programme's "Print" button: shown only where it can work (JavaScript on).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("print-now");
    if (!button) return;
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
