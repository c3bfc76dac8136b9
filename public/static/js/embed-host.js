// For the page that embeds a conference schedule (README, "Using it"): fits each
// <iframe data-schedule-embed> to the height its schedule reports, so the schedule scrolls
// with the page instead of inside a box. Works under a strict Content-Security-Policy: it
// sets the frame's height through the CSSOM, never a style= attribute.
(function () {
  "use strict";
  var LIMIT = 100000; // px: a height no schedule reaches; more is not ours to believe
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== "schedule-embed:height" || typeof data.height !== "number") return;
    var frames = document.querySelectorAll("iframe[data-schedule-embed]");
    for (var i = 0; i < frames.length; i++) {
      var frame = frames[i];
      // Only the frame that sent it, and only while it shows the schedule's own site.
      if (frame.contentWindow !== event.source) continue;
      if (new URL(frame.src, document.baseURI).origin !== event.origin) continue;
      frame.style.height = Math.max(0, Math.min(Math.ceil(data.height), LIMIT)) + "px";
    }
  });
})();
