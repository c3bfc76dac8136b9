// The conference's service worker, served at /<conference>/sw.js (public/views/offline.py), so
// that it controls the conference's pages. After a first visit it keeps the conference for
// offline use: every page listed by /<conference>/offline.json, in the visitor's timezone and
// layout, and the static files the pages load. Pages: network first, the copy after TIMEOUT.
// Static files with hashed names: the copy first. Images: only those already seen.
// Personal copies (the agenda, a signed-in person's pages, their agenda marks) are kept apart
// for each person (the server names them: X-Offline-Person) and go when another person comes
// or the person logs out. "Add to my agenda" offline is queued and sent when back online.
"use strict";

var SCOPE = new URL(self.registration.scope).pathname; // "/<conference>/"
// Static files per conference: a worker forgets earlier builds once its own copies are of the
// current release, which another conference's copies may not yet be.
var STATIC = "static-1:" + SCOPE;
var PAGES = "pages:" + SCOPE;
var PERSONAL = "personal:" + SCOPE + ":"; // + the person's key
var IMAGES = "images:" + SCOPE;
var TIMEOUT = 3000;
var PART_TIMEOUT = 10000;
var KEEP_AT_ONCE = 4;
var HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/; // whitenoise's manifest names: never change
var TOGGLE = new RegExp("^" + SCOPE + "sessions/([^/]+)/agenda/$");
var PERSONAL_PARTS = SCOPE + "agenda/personal-parts/";
var ALWAYS_LIVE = ["sw.js", "version.json", "offline.json"].map(function (name) { return SCOPE + name; });
var ANYONE = "anyone";

// Pages this worker answered with a copy, by the tab they opened in, with when the copy was
// taken: offline.js asks, to say "Offline — schedule as of 09:42".
var answeredWithCopy = new Map();

function answered(event, copy) {
  answeredWithCopy.set(event.resultingClientId, copy.headers.get("X-Kept-At"));
}

self.addEventListener("install", function () {
  // A new version takes over at once (and claims the open tabs below): no "close every tab".
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("static-") === 0 && name.slice(-SCOPE.length - 1) === ":" + SCOPE && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () {
    // The page's request starts while the worker boots (used by fetchAndKeep below).
    return self.registration.navigationPreload ? self.registration.navigationPreload.enable() : null;
  }).then(function () { return self.clients.claim(); }));
});

// --- A small store: what the copies were made for, and the queue of agenda changes. ---

function database() {
  return new Promise(function (resolve, reject) {
    var open = indexedDB.open("conference-offline", 1);
    open.onupgradeneeded = function () {
      open.result.createObjectStore("meta");
      open.result.createObjectStore("queue", { keyPath: "url" });
    };
    open.onsuccess = function () { resolve(open.result); };
    open.onerror = function () { reject(open.error); };
  });
}

function stored(name, mode, work) {
  return database().then(function (db) {
    return new Promise(function (resolve, reject) {
      var transaction = db.transaction(name, mode);
      var request = work(transaction.objectStore(name));
      transaction.oncomplete = function () { db.close(); resolve(request ? request.result : undefined); };
      transaction.onerror = function () { db.close(); reject(transaction.error); };
    });
  });
}

function getMeta() {
  return stored("meta", "readonly", function (store) { return store.get(SCOPE); })
    .then(function (meta) { return meta || {}; });
}

function setMeta(changes) {
  return getMeta().then(function (meta) {
    var fresh = Object.assign({}, meta, changes);
    return stored("meta", "readwrite", function (store) { store.put(fresh, SCOPE); }).then(function () { return fresh; });
  });
}

function queued() {
  return stored("queue", "readonly", function (store) { return store.getAll(); }).then(function (entries) {
    return entries.filter(function (entry) { return entry.url.indexOf(location.origin + SCOPE) === 0; });
  });
}

function unqueue(url) {
  return stored("queue", "readwrite", function (store) { store.delete(url); });
}

// --- Copies ---

// One copy per address: "/day/?" and "/day/" are one page; the personal parts, one per person.
function keyOf(url) {
  var parsed = new URL(url, location.href);
  var search = parsed.pathname === PERSONAL_PARTS ? "" : parsed.search;
  return parsed.origin + parsed.pathname + search;
}

function isPrivate(response) {
  return /(^|[ ,])private([ ,]|$)/.test(response.headers.get("Cache-Control") || "");
}

// A private copy for whoever the server says this is; a new person drops the last one's copies.
function usePerson(person) {
  return getMeta().then(function (meta) {
    if (meta.person === person) return person;
    return caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PERSONAL) === 0 && name !== PERSONAL + person;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () {
      return meta.person && meta.person !== ANYONE ? dropQueueOf(meta.person) : null;
    }).then(function () {
      // The pages kept for the last person are taken again for this one on the next check.
      return setMeta({ person: person, complete: false });
    }).then(function () { return person; });
  });
}

function dropQueueOf(person) {
  return queued().then(function (entries) {
    return Promise.all(entries.filter(function (entry) { return entry.person === person; })
      .map(function (entry) { return unqueue(entry.url); }));
  });
}

// Never what the server says not to store (an organiser's draft preview), except the person's
// own agenda marks, which are theirs to keep on their device until they log out.
function mayKeep(url, response) {
  if (!response.ok || response.type !== "basic") return false;
  var noStore = /no-store/.test(response.headers.get("Cache-Control") || "");
  return !noStore || new URL(url).pathname === PERSONAL_PARTS;
}

function keep(url, response) {
  if (!mayKeep(url, response)) return Promise.resolve();
  var headers = new Headers(response.headers);
  headers.set("X-Kept-At", new Date().toISOString());
  var target = isPrivate(response)
    ? usePerson(response.headers.get("X-Offline-Person") || ANYONE).then(function (person) { return PERSONAL + person; })
    : Promise.resolve(PAGES);
  return Promise.all([target, response.blob()]).then(function (both) {
    // A fresh response: one that was redirected may not answer a navigation.
    var copy = new Response(both[1], { status: response.status, statusText: response.statusText, headers: headers });
    return caches.open(both[0]).then(function (cache) { return cache.put(keyOf(url), copy); });
  });
}

function findCopy(url) {
  var key = keyOf(url);
  return getMeta().then(function (meta) {
    var personal = meta.person ? caches.open(PERSONAL + meta.person).then(function (cache) {
      return cache.match(key, { ignoreVary: true });
    }) : Promise.resolve(undefined);
    return personal.then(function (copy) {
      return copy || caches.open(PAGES).then(function (cache) { return cache.match(key, { ignoreVary: true }); });
    });
  });
}

function later(milliseconds) {
  return new Promise(function (resolve) { setTimeout(resolve, milliseconds, null); });
}

// The network's answer, kept (in the background: the page streams meanwhile); null when there
// is no network or the server failed.
function fetchAndKeep(request, event) {
  var preloaded = event && event.preloadResponse ? event.preloadResponse : Promise.resolve(null);
  return preloaded.catch(function () { return null; }).then(function (response) {
    return response || fetch(request);
  }).then(function (response) {
    if (response.status >= 500) return null;
    var kept = keep(request.url, response.clone()).catch(function () {});
    if (event) event.waitUntil(kept);
    return event ? response : kept.then(function () { return response; });
  }).catch(function () { return null; });
}

function networkFirst(event, network) {
  var request = event.request;
  return Promise.race([network, later(TIMEOUT)]).then(function (answer) {
    if (answer) return answer;
    return findCopy(request.url).then(function (copy) {
      if (copy) {
        if (request.mode === "navigate") answered(event, copy);
        return copy;
      }
      // Nothing kept: wait for the network after all, else say the page needs it.
      return network.then(function (late) {
        if (late) return late;
        if (request.mode !== "navigate") return Response.error();
        return findCopy(SCOPE + "offline/").then(function (page) {
          if (page) answered(event, page);
          return page || Response.error();
        });
      });
    });
  });
}

function cacheFirst(request, name) {
  return caches.open(name).then(function (cache) {
    return cache.match(request).then(function (copy) {
      if (copy) return copy;
      return fetch(request).then(function (response) {
        if (response.ok && response.type === "basic") cache.put(request, response.clone());
        return response;
      });
    });
  });
}

// A static file without a hashed name (development): the network, the copy when offline.
function staticFile(request) {
  if (HASHED.test(new URL(request.url).pathname)) return cacheFirst(request, STATIC);
  return fetch(request).then(function (response) {
    if (response.ok) caches.open(STATIC).then(function (cache) { cache.put(request, response.clone()); });
    return response;
  }).catch(function () {
    return caches.open(STATIC).then(function (cache) { return cache.match(request); })
      .then(function (copy) { return copy || Response.error(); });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  var url = new URL(request.url);
  if (url.origin !== location.origin) return;
  if (request.method === "POST" && TOGGLE.test(url.pathname)) {
    event.respondWith(toggleOrQueue(request));
    return;
  }
  if (request.method !== "GET") return;
  if (url.pathname.indexOf("/static/") === 0) {
    event.respondWith(staticFile(request));
  } else if (request.destination === "image") {
    event.respondWith(cacheFirst(request, IMAGES));
  } else if (url.pathname.indexOf(SCOPE) !== 0 || ALWAYS_LIVE.indexOf(url.pathname) !== -1) {
    return;
  } else if (request.headers.has("HX-Request")) {
    // A part of a page: the network, else an error (offline.js then opens a link as a page,
    // which may be kept). Longer than a page's wait: a search typed on slow Wi-Fi still answers.
    event.respondWith(Promise.race([fetch(request), later(PART_TIMEOUT)]).then(function (answer) {
      return answer || Response.error();
    }).catch(function () { return Response.error(); }));
  } else {
    var network = fetchAndKeep(request, event);
    event.waitUntil(network); // a late answer is still kept
    event.respondWith(networkFirst(event, network));
  }
});

// --- Keeping the whole conference ---

var refreshing = null;

function refresh(assets) {
  if (!refreshing) {
    refreshing = keepEverything(assets || []).catch(function () {}).then(function () { refreshing = null; });
  }
  return refreshing;
}

function keepEverything(assets) {
  return fetch(SCOPE + "offline.json", { cache: "no-cache" }).then(function (response) {
    if (!response.ok) return null;
    return response.json();
  }).then(function (list) {
    if (!list) return null;
    var urls = assets.concat(list.assets);
    return getMeta().then(function (meta) {
      // The copy is of this key already: only what is missing from it is fetched.
      if (meta.key === list.key && meta.complete) {
        return keepAssets(urls, false).then(function () { return forgetEarlierBuilds(urls); });
      }
      return keepAssets(urls, true).then(function () {
        return setMeta({ complete: false });
      }).then(function () {
        return keepOfflinePage();
      }).then(function () {
        return keepPages(list.pages);
      }).then(function (kept) {
        var complete = kept === list.pages.length;
        return forgetOthers(list.pages).then(function () {
          return setMeta({ key: list.key, version: list.version, complete: complete });
        }).then(function () { return complete ? forgetEarlierBuilds(urls) : null; });
      });
    });
  });
}

// The page for addresses not kept: first, and without cookies, so it is the page shared by
// everyone (no personal parts) and stays when a person logs out.
function keepOfflinePage() {
  var url = new URL(SCOPE + "offline/", location.href).href;
  return fetch(url, { credentials: "omit", cache: "no-cache" }).then(function (response) {
    return keep(url, response);
  }).catch(function () {});
}

// The conference's own files (colours.css, the manifest) change with the key of the copy: taken
// again when it moved (`again`), else only when missing.
function keepAssets(urls, again) {
  return caches.open(STATIC).then(function (cache) {
    return Promise.all(urls.map(function (url) {
      var address = new URL(url, location.href);
      if (address.origin !== location.origin) return null;
      if (address.pathname.indexOf(SCOPE) === 0) {
        return (again ? Promise.resolve(null) : findCopy(address.href)).then(function (copy) {
          if (copy) return null;
          return fetch(address.href, { cache: "no-cache" }).then(function (response) {
            return keep(address.href, response);
          });
        }).catch(function () {});
      }
      return cache.match(address.href).then(function (copy) {
        if (copy && HASHED.test(address.pathname)) return null;
        return cache.add(address.href).catch(function () {});
      });
    }));
  });
}

// Each release gives a changed static file a new hashed name: the builds it replaced would stay
// in the copy for good. Once every kept page is of this release (a release changes the key of
// the copy), a file's earlier builds go; files this page does not load stay, they may be in use.
function forgetEarlierBuilds(urls) {
  var unhashed = function (path) { return path.replace(/\.[0-9a-f]{12}(\.[a-z0-9]+)$/, "$1"); };
  var current = new Map();
  urls.forEach(function (url) {
    var path = new URL(url, location.href).pathname;
    if (HASHED.test(path)) current.set(unhashed(path), path);
  });
  return caches.open(STATIC).then(function (cache) { return cache.keys().then(function (requests) {
    return Promise.all(requests.filter(function (request) {
      var path = new URL(request.url).pathname;
      var build = current.get(unhashed(path));
      return HASHED.test(path) && build !== undefined && build !== path;
    }).map(function (request) { return cache.delete(request); }));
  }); });
}

// A few at a time: the server and the conference Wi-Fi are shared with everyone else.
function keepPages(urls) {
  var next = 0;
  var kept = 0;
  function worker() {
    if (next >= urls.length) return Promise.resolve();
    var url = new URL(urls[next++], location.href).href;
    if (url === new URL(SCOPE + "offline/", location.href).href) {
      kept += 1;
      return worker();
    }
    return stillTheSame(url).then(function (same) {
      if (same) return true;
      return fetch(url, { cache: "no-cache" }).then(function (response) {
        return response.ok ? keep(url, response).then(function () { return true; }) : false;
      });
    }).then(function (done) { if (done) kept += 1; }).catch(function () {}).then(worker);
  }
  var workers = [];
  for (var i = 0; i < KEEP_AT_ONCE; i++) workers.push(worker());
  return Promise.all(workers).then(function () { return kept; });
}

// The page's bytes without the schedule version: a shared page's ETag is "<version>-<digest>"
// (public/pages.py: mark_shared), weak once compressed; a personal page's, a digest.
function digestOf(response) {
  var etag = (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
  return etag.slice(etag.indexOf("-") + 1);
}

// A new schedule version changes few pages: ask for the page's ETag alone (HEAD, a few hundred
// bytes) and keep the copy when its bytes are the same, so a change costs the Wi-Fi only the
// pages it changed. The copy is then as of now.
function stillTheSame(url) {
  return findCopy(url).then(function (copy) {
    if (!copy || !digestOf(copy)) return false;
    return fetch(url, { method: "HEAD", cache: "no-cache" }).then(function (head) {
      if (!head.ok || digestOf(head) !== digestOf(copy)) return false;
      var headers = new Headers(copy.headers);
      headers.set("X-Kept-At", new Date().toISOString());
      return copy.blob().then(function (body) {
        var fresh = new Response(body, { status: copy.status, statusText: copy.statusText, headers: headers });
        return copyCacheOf(copy, head).then(function (name) {
          return caches.open(name).then(function (cache) { return cache.put(keyOf(url), fresh); });
        });
      }).then(function () { return true; });
    });
  }).catch(function () { return false; });
}

function copyCacheOf(copy, head) {
  if (!isPrivate(head)) return Promise.resolve(PAGES);
  return usePerson(head.headers.get("X-Offline-Person") || ANYONE).then(function (person) { return PERSONAL + person; });
}

// After a new version, a copy of a page that is no longer listed (or seen with filters) is stale.
function forgetOthers(urls) {
  var wanted = new Set(urls.map(function (url) { return keyOf(url); }));
  wanted.add(keyOf(PERSONAL_PARTS));
  wanted.add(keyOf(SCOPE + "colours.css"));
  wanted.add(keyOf(SCOPE + "manifest.webmanifest"));
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name === PAGES || name.indexOf(PERSONAL) === 0;
    }).map(function (name) {
      return caches.open(name).then(function (cache) {
        return cache.keys().then(function (requests) {
          return Promise.all(requests.filter(function (request) { return !wanted.has(keyOf(request.url)); })
            .map(function (request) { return cache.delete(request); }));
        });
      });
    }));
  });
}

// The schedule version, cheaply: a new one, and the copies are taken again.
function watchVersion() {
  return fetch(SCOPE + "version.json", { cache: "no-cache" }).then(function (response) {
    return response.ok ? response.json() : null;
  }).then(function (answer) {
    if (!answer) return null;
    return getMeta().then(function (meta) {
      if (meta.version !== answer.version) return setMeta({ complete: false }).then(function () { return refresh(); });
      return null;
    });
  }).catch(function () {});
}

// --- "Add to my agenda" offline ---

function toggleOrQueue(request) {
  var url = request.url;
  var copy = request.clone();
  return Promise.race([fetch(request).catch(function () { return null; }), later(TIMEOUT)]).then(function (answer) {
    if (answer && answer.status < 500) {
      return unqueue(url).then(function () { return answer; });
    }
    return copy.text().then(function (body) {
      var action = new URLSearchParams(body).get("action") === "remove" ? "remove" : "add";
      return queue(url, action, request.headers.get("X-CSRFToken") || "").then(function () {
        return new Response("", { status: 202, headers: { "HX-Reswap": "none", "X-Offline-Queued": action } });
      });
    });
  });
}

// The last wish for a session wins: add then remove offline sends one "remove", never two rows.
function queue(url, action, token) {
  return getMeta().then(function (meta) {
    var entry = { url: url, action: action, token: token, person: meta.person || ANYONE, at: Date.now() };
    return stored("queue", "readwrite", function (store) { store.put(entry); });
  }).then(function () {
    return markInKeptParts(url, action);
  }).then(function () {
    if (self.registration.sync) return self.registration.sync.register("agenda-queue").catch(function () {});
    return null;
  });
}

// The kept agenda marks say what was asked for, so every kept page shows it while offline.
function markInKeptParts(url, action) {
  var slug = decodeURIComponent(TOGGLE.exec(new URL(url).pathname)[1]);
  return findCopy(PERSONAL_PARTS).then(function (copy) {
    if (!copy) return null;
    return copy.clone().json().then(function (parts) {
      var slugs = new Set(parts.agenda);
      if (action === "add") slugs.add(slug); else slugs.delete(slug);
      parts.agenda = Array.from(slugs).sort();
      parts.count = parts.agenda.length;
      var response = new Response(JSON.stringify(parts), { headers: copy.headers });
      return getMeta().then(function (meta) {
        return caches.open(PERSONAL + (meta.person || ANYONE)).then(function (cache) {
          return cache.put(keyOf(PERSONAL_PARTS), response);
        });
      });
    });
  }).catch(function () {});
}

function csrfToken(fallback) {
  if (!self.cookieStore) return Promise.resolve(fallback);
  return self.cookieStore.get("csrftoken").then(function (cookie) {
    return cookie ? cookie.value : fallback;
  }).catch(function () { return fallback; });
}

var replaying = null;

function replay() {
  if (!replaying) {
    replaying = sendQueued().catch(function () {}).then(function () { replaying = null; });
  }
  return replaying;
}

// One at a time, in order; each sends the wish itself ("add" or "remove"), so sending one twice
// changes nothing. An answer that will never change (the session is gone) ends the wait too.
function sendQueued() {
  return queued().then(function (entries) {
    entries.sort(function (a, b) { return a.at - b.at; });
    var sent = [];
    return entries.reduce(function (chain, entry) {
      return chain.then(function (goOn) {
        if (!goOn) return false;
        return csrfToken(entry.token).then(function (token) {
          return fetch(entry.url, {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/x-www-form-urlencoded", "HX-Request": "true", "X-CSRFToken": token },
            body: "action=" + entry.action,
          });
        }).then(function (response) {
          var final = response.ok || (response.status >= 400 && response.status < 500 && [403, 408, 429].indexOf(response.status) === -1);
          if (!final) return false;
          sent.push({ url: entry.url, action: entry.action });
          return unqueue(entry.url).then(function () { return true; });
        }).catch(function () { return false; });
      });
    }, Promise.resolve(true)).then(function () {
      if (!sent.length) return null;
      // The agenda changed on the server: take its pages again, and tell the open tabs.
      return Promise.all([
        fetchAndKeep(new Request(SCOPE + "agenda/")),
        fetchAndKeep(new Request(PERSONAL_PARTS)),
      ]).then(function (answers) {
        var parts = answers[1] ? answers[1].json() : Promise.resolve(null);
        return parts.catch(function () { return null; });
      }).then(function (parts) {
        return tellTabs({ type: "replayed", sent: sent, count: parts ? parts.count : null });
      });
    });
  });
}

function tellTabs(message) {
  return self.clients.matchAll({ type: "window" }).then(function (tabs) {
    tabs.forEach(function (tab) { tab.postMessage(message); });
  });
}

self.addEventListener("sync", function (event) {
  if (event.tag === "agenda-queue") event.waitUntil(replay());
});

// Logging out: this person's copies and wishes go, the schedule kept for everyone stays.
function forgetPerson() {
  return caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf(PERSONAL) === 0; })
      .map(function (name) { return caches.delete(name); }));
  }).then(function () {
    return getMeta();
  }).then(function (meta) {
    return (meta.person ? dropQueueOf(meta.person) : Promise.resolve()).then(function () {
      return setMeta({ person: ANYONE, complete: false });
    });
  });
}

self.addEventListener("message", function (event) {
  var data = event.data || {};
  var reply = function (answer) { if (event.ports[0]) event.ports[0].postMessage(answer); };
  var work;
  if (data.type === "check") work = refresh(data.assets);
  else if (data.type === "version") work = watchVersion();
  else if (data.type === "replay") work = replay();
  else if (data.type === "logout") work = forgetPerson();
  else if (data.type === "status") work = getMeta();
  else if (data.type === "copy") {
    var id = event.source && event.source.id;
    var keptAt = answeredWithCopy.get(id);
    answeredWithCopy.delete(id);
    work = Promise.resolve({ copy: keptAt !== undefined, keptAt: keptAt });
  }
  else if (data.type === "pending") work = queued().then(function (entries) {
    return entries.map(function (entry) { return { url: entry.url, action: entry.action }; });
  });
  else return;
  event.waitUntil(work.then(reply, function () { reply(null); }));
});
