// Optional enhancements; every page works without this file.
(function () {
  "use strict";

  var DISMISSED = "tz-offer-dismissed";

  function browserZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  function csrfToken() {
    try { return JSON.parse(document.body.getAttribute("hx-headers"))["X-CSRFToken"]; } catch (e) { return ""; }
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

  document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  document.addEventListener("htmx:afterSettle", function (event) { enhancePicker(event.target); });
  document.addEventListener("htmx:load", function (event) {
    if (event.target === document.body) offerBrowserZone(document);
  });
})();
