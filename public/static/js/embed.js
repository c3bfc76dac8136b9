// Inside the embedded schedule's frame: tells the page around it how tall the schedule is, so
// that page's embed-host.js can size the frame to it (no scrollbar inside a scrolling page).
// Only a height leaves the frame, which is why any parent may hear it.
(function () {
  "use strict";
  if (window.parent === window) return;
  var reported = 0;
  function report() {
    var height = Math.ceil(document.body.getBoundingClientRect().height);
    if (height === reported) return;
    reported = height;
    window.parent.postMessage({ type: "schedule-embed:height", height: height }, "*");
  }
  document.addEventListener("DOMContentLoaded", function () {
    new ResizeObserver(report).observe(document.body);
    report();
  });
})();
