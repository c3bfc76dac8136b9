// Optional enhancements; every page works without this file.
(function () {
  "use strict";

  var DISMISSED = "tz-offer-dismissed";

  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  // The CSRF token from its cookie: pages carry none in their markup. A first-time visitor has
  // none at all; their POSTs are checked by where they come from (public/pages.py).
  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  document.addEventListener("htmx:configRequest", function (event) {
    var token = csrfToken();
    if (token) event.detail.headers["X-CSRFToken"] = token;
  });

  function fromHtml(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.firstElementChild;
  }

  function replaceWith(old, html) {
    var fresh = fromHtml(html);
    if (!old || !fresh) return;
    old.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
  }

  // A shared page is the same for every visitor. This browser fetches its own parts after it
  // (so the app may give it the shared page even with a session, see personal_parts), when it
  // has had a page of its own before (a CSRF cookie): agenda marks, seat boxes, account.
  function fillPersonalParts() {
    var secure = location.protocol === "https:" ? "; Secure" : "";
    document.cookie = "personal_parts=1; path=/; SameSite=Lax" + secure;
    var url = document.body.dataset.personalParts;
    if (!url || !csrfToken()) return;
    var seats = Array.prototype.map.call(document.querySelectorAll(".seat-box[data-session]"), function (box) {
      return box.dataset.session;
    });
    var query = "?next=" + encodeURIComponent(location.pathname + location.search) + "&seats=" + seats.join(",");
    fetch(url + query, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (parts) { if (parts) applyPersonalParts(parts); })
      .catch(function () { /* the shared page stays as it is */ });
  }

  function applyPersonalParts(parts) {
    parts.agenda.forEach(function (slug) {
      var form = document.getElementById("agenda-toggle-" + slug);
      if (!form) return;
      form.classList.add("in-agenda");
      var box = form.closest(".cell, .card");
      if (box) box.classList.add("in-agenda");
    });
    var count = document.getElementById("agenda-count");
    if (count) count.textContent = parts.count;
    Object.keys(parts.seat_boxes).forEach(function (pk) {
      replaceWith(document.querySelector('.seat-box[data-session="' + pk + '"]'), parts.seat_boxes[pk]);
    });
    if (parts.account) replaceWith(document.querySelector("nav.account"), parts.account);
  }

  // Offer (never force) the visitor's own timezone when it differs from the one shown.
  function offerBrowserZone(root) {
    var offer = root.querySelector(".tz-offer");
    var zone = browserZone();
    if (!offer || !zone || zone === offer.dataset.current) return;
    if (localStorage.getItem(DISMISSED) === zone) return;
    offer.querySelector(".tz-offer-text").textContent = offer.dataset.text.replace("{zone}", zone);
    offer.hidden = false;
    offer.querySelector(".tz-offer-dismiss").addEventListener("click", function () {
      localStorage.setItem(DISMISSED, zone);
      offer.hidden = true;
    });
    offer.querySelector(".tz-offer-use").addEventListener("click", function (event) {
      var button = event.currentTarget;
      var form = document.createElement("form");
      form.method = "post";
      form.action = button.dataset.action;
      [["tz", zone], ["clock", ""], ["next", button.dataset.next], ["csrfmiddlewaretoken", csrfToken()]]
        .forEach(function (pair) {
          var input = document.createElement("input");
          input.type = "hidden"; input.name = pair[0]; input.value = pair[1];
          form.appendChild(input);
        });
      document.body.appendChild(form);
      form.submit();
    });
  }

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  // Pin "Your timezone" at the top of the selector and filter its options as one types.
  function enhancePicker(root) {
    root.querySelectorAll("select[name=tz]").forEach(function (select) {
      var zone = browserZone();
      if (zone && !select.querySelector("optgroup.yours") && select.querySelector('option[value="' + zone + '"]')) {
        var group = document.createElement("optgroup");
        group.className = "yours";
        var label = (select.parentNode.dataset.yours || "{zone}").replace("{zone}", zone);
        group.label = label;
        var option = document.createElement("option");
        option.value = zone;
        option.textContent = label;
        group.appendChild(option);
        select.insertBefore(group, select.firstChild);
      }
      select.size = 10;
    });
    root.querySelectorAll("input.tz-filter").forEach(function (input) {
      var select = document.getElementById(input.dataset.filters);
      if (!select) return;
      input.addEventListener("input", function () {
        var words = fold(input.value).split(/\s+/).filter(Boolean);
        var first = null;
        select.querySelectorAll("option").forEach(function (option) {
          var text = fold(option.value + " " + option.textContent);
          var match = words.every(function (word) { return text.indexOf(word) !== -1; });
          option.hidden = !match;
          if (match && !first) first = option;
        });
        select.querySelectorAll("optgroup").forEach(function (group) {
          group.hidden = !group.querySelector("option:not([hidden])");
        });
        if (first && words.length) first.selected = true;
      });
    });
  }

  // Copy the calendar address; without JavaScript the button stays hidden and the field is
  // there to select and copy.
  function enableCopy(root) {
    root.querySelectorAll("button.copy").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var field = document.getElementById(button.dataset.copy);
        field.select();
        if (navigator.clipboard) navigator.clipboard.writeText(field.value);
        button.textContent = button.dataset.copied;
      });
    });
  }

  // An agenda toggle or a notice's "Got it" swaps its own box, and the button that had the
  // keyboard focus with it: give the focus to the control shown in its place.
  var refocus = false;
  document.addEventListener("htmx:beforeSwap", function (event) {
    var target = event.detail.target;
    refocus = target.matches(".agenda-form, .notice-text") && target.contains(document.activeElement);
  });
  // After settling: until then a box with the same id keeps its old classes (htmx's settle).
  document.addEventListener("htmx:afterSettle", function (event) {
    if (!refocus || !(event.target instanceof Element)) return;
    var shown = Array.prototype.filter.call(event.target.querySelectorAll("button, summary"), function (control) {
      return control.offsetParent !== null;
    });
    if (shown.length) {
      refocus = false;
      shown[0].focus();
    }
  });

  function enhance(root) {
    offerBrowserZone(root);
    enhancePicker(root);
    enableCopy(root);
  }

  document.addEventListener("DOMContentLoaded", function () {
    fillPersonalParts();
    enhance(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) { enhancePicker(event.target); });
  document.addEventListener("htmx:load", function (event) {
    if (event.target === document.body) offerBrowserZone(document);
  });
})();
