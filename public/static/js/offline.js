// The conference as an app that works offline: registers its service worker (sw.js), says when
// a page is a copy ("Offline — schedule as of 09:42"), shows agenda changes waiting for the
// network, and clears this person's copies when they log out. Pages work without it.
(function () {
  "use strict";

  if (!("serviceWorker" in navigator)) return;

  var VERSION_CHECK = 5 * 60 * 1000;
  var isCopy = false;
  // When what this page shows was fetched: now, or when the worker kept the copy it answered.
  var shownAsOf = new Date();

  function ask(worker, message) {
    return new Promise(function (resolve) {
      var channel = new MessageChannel();
      channel.port1.onmessage = function (event) { resolve(event.data); };
      worker.postMessage(message, [channel.port2]);
      setTimeout(resolve, 2000, null); // a worker that does not answer does not hold the page
    });
  }

  function offlineLine() { return document.querySelector(".offline-line"); }

  // "09:42" or "9:42 AM" in the timezone and clock the page shows.
  function clockTime(date, line) {
    var options = { hour: "numeric", minute: "2-digit", hour12: line.dataset.clock === "12" };
    if (line.dataset.clock === "24") options.hour = "2-digit";
    try {
      options.timeZone = line.dataset.timezone;
      return new Intl.DateTimeFormat(document.documentElement.lang || undefined, options).format(date);
    } catch (error) {
      delete options.timeZone;
      return new Intl.DateTimeFormat(undefined, options).format(date);
    }
  }

  function showOffline() {
    var line = offlineLine();
    if (!line) return;
    line.textContent = line.dataset.text.replace("{time}", clockTime(shownAsOf, line));
    line.hidden = !(isCopy || !navigator.onLine);
  }

  // What this page loads from our static files, for the worker to keep.
  function pageAssets() {
    var found = document.querySelectorAll("script[src], link[rel=stylesheet][href], link[rel=icon][href]");
    return Array.prototype.map.call(found, function (element) { return element.src || element.href; })
      .filter(function (url) { return new URL(url).origin === location.origin; });
  }

  // Not form.action: the toggle's buttons are named "action" and hide the property.
  function formPath(form) {
    return new URL(form.getAttribute("action"), location.href).pathname;
  }

  // A queued change shows what was asked for, and that it waits for the network (pending);
  // once sent, what was asked for without the note.
  function markPending(entries, pending) {
    var line = offlineLine();
    document.querySelectorAll(".agenda-pending").forEach(function (note) { note.remove(); });
    (entries || []).forEach(function (entry) {
      var path = new URL(entry.url).pathname;
      document.querySelectorAll("form.agenda-form").forEach(function (form) {
        if (formPath(form) !== path) return;
        form.classList.toggle("in-agenda", entry.action === "add");
        var box = form.closest(".cell, .card");
        if (box) box.classList.toggle("in-agenda", entry.action === "add");
        if (pending === false) return;
        var note = document.createElement("span");
        note.className = "agenda-pending";
        note.setAttribute("role", "status");
        note.textContent = line ? line.dataset["pending" + (entry.action === "add" ? "Add" : "Remove")] : "";
        form.appendChild(note);
      });
    });
  }

  // The agenda page lists the sessions added while offline, which are not on it yet: a link to
  // each, named from the kept copy of its page, and that it waits for the network.
  function listQueuedAdds(entries) {
    var section = document.querySelector(".agenda-queued");
    var line = offlineLine();
    if (!section || !line) return;
    var listed = Array.prototype.map.call(document.querySelectorAll("form.agenda-form"), formPath);
    var adds = (entries || []).filter(function (entry) {
      return entry.action === "add" && listed.indexOf(new URL(entry.url).pathname) === -1;
    });
    var list = section.querySelector("ol");
    list.replaceChildren();
    section.hidden = adds.length === 0;
    var empty = document.querySelector("#agenda-body > .empty");
    if (empty) empty.hidden = adds.length > 0;
    // The page counts what the server has; the queued wishes change it.
    var count = document.getElementById("agenda-count");
    if (count) {
      if (count.dataset.fromServer === undefined) count.dataset.fromServer = count.textContent;
      var removes = (entries || []).filter(function (entry) {
        return entry.action === "remove" && listed.indexOf(new URL(entry.url).pathname) !== -1;
      });
      count.textContent = Math.max(0, Number(count.dataset.fromServer) + adds.length - removes.length);
    }
    adds.forEach(function (entry) {
      var page = new URL(entry.url).pathname.replace(/agenda\/$/, "");
      var item = document.createElement("li");
      item.className = "card";
      var heading = document.createElement("h3");
      heading.className = "card-title";
      var link = document.createElement("a");
      link.href = page;
      link.textContent = decodeURIComponent(page.split("/").slice(-2)[0]);
      heading.appendChild(link);
      var note = document.createElement("p");
      note.className = "agenda-pending";
      note.textContent = line.dataset.pendingAdd;
      item.append(heading, note);
      list.appendChild(item);
      fetch(page).then(function (response) { return response.ok ? response.text() : ""; }).then(function (html) {
        var title = new DOMParser().parseFromString(html, "text/html").querySelector("h1");
        if (title) link.textContent = title.textContent.trim();
      }).catch(function () {});
    });
  }

  function showQueued(worker) {
    return ask(worker, { type: "pending" }).then(function (entries) {
      markPending(entries);
      listQueuedAdds(entries);
    });
  }

  // The toggle answered by the worker: queued, not yet sent.
  document.addEventListener("htmx:afterRequest", function (event) {
    var xhr = event.detail.xhr;
    var action = xhr && xhr.getResponseHeader("X-Offline-Queued");
    if (!action) return;
    var form = event.detail.elt.closest("form.agenda-form");
    if (!form) return;
    var count = document.getElementById("agenda-count");
    if (count && form.classList.contains("in-agenda") !== (action === "add")) {
      count.textContent = Math.max(0, Number(count.textContent) + (action === "add" ? 1 : -1));
    }
    markPending([{ url: location.origin + formPath(form), action: action }]);
    var worker = navigator.serviceWorker.controller;
    if (worker) showQueued(worker);
  });

  // A link swapped in by htmx that got no answer: open it as a page, which may be kept.
  document.addEventListener("htmx:sendError", function (event) {
    var link = event.detail.elt;
    if (link && link.matches && link.matches("a[href]")) location.href = link.href;
  });

  // Logging out: the worker forgets this person's copies first (the server also sends
  // Clear-Site-Data for the browser's own cache).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-clears-offline]") || form.dataset.cleared) return;
    event.preventDefault();
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      return Promise.all(registrations.map(function (registration) {
        return registration.active ? ask(registration.active, { type: "logout" }) : null;
      }));
    }).catch(function () {}).then(function () {
      form.dataset.cleared = "1";
      form.submit();
    });
  });

  function whenOnline(worker) {
    worker.postMessage({ type: "replay" });
    worker.postMessage({ type: "version" });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var url = document.body.dataset.serviceWorker;
    if (!url) return;
    navigator.serviceWorker.register(url, { scope: url.replace(/sw\.js$/, "") }).catch(function () {});
    navigator.serviceWorker.ready.then(function (registration) {
      var worker = registration.active;
      ask(worker, { type: "copy" }).then(function (answer) {
        isCopy = Boolean(answer && answer.copy);
        if (isCopy && answer.keptAt) shownAsOf = new Date(answer.keptAt);
        showOffline();
      });
      showQueued(worker);
      if (navigator.onLine) {
        worker.postMessage({ type: "replay" });
        worker.postMessage({ type: "check", assets: pageAssets() });
      }
      window.addEventListener("online", function () { whenOnline(worker); });
      setInterval(function () {
        if (navigator.onLine && document.visibilityState === "visible") worker.postMessage({ type: "version" });
      }, VERSION_CHECK);
    });
    navigator.serviceWorker.addEventListener("message", function (event) {
      if (!event.data || event.data.type !== "replayed") return;
      markPending(event.data.sent, false);
      var count = document.getElementById("agenda-count");
      if (count && event.data.count !== null) {
        count.textContent = event.data.count;
        delete count.dataset.fromServer;
      }
      // Sent: the agenda page shows them in their place, from the server.
      var queuedList = document.querySelector(".agenda-queued");
      if (queuedList && !queuedList.hidden && window.htmx) {
        window.htmx.ajax("GET", location.href, { target: "#agenda-body", select: "#agenda-body", swap: "outerHTML" })
          .then(function () { if (navigator.serviceWorker.controller) showQueued(navigator.serviceWorker.controller); });
      }
    });
    showOffline();
  });
  window.addEventListener("offline", showOffline);
  window.addEventListener("online", showOffline);
})();
