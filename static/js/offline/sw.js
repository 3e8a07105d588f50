// The service worker of Xung Kích Số (served at /sw.js by xungkich/pwa.py, which writes self.XK_SW
// in front of this file: the version, the shell's address and assets, the procedure list's address).
//
// It keeps what the offline desk needs on the phone and answers from it when the network is absent or
// too slow. It never touches the API: records are sent by the page itself (static/js/offline/desk.js),
// so a POST is never replayed or queued out of the volunteer's sight.
//
//   the desk page           network first (fresh lists when online), the kept copy after TIMEOUT_MS
//   the shell's assets      kept copy first (their names change with each release)
//   the procedure list      network first (it revalidates with its ETag), the kept copy offline
//   a guide page            network first; the last XK_SW.recentGuides opened are kept, with titles
//   a guide's images        kept copy first, for the guides kept
//   any other page          network; offline, the desk page instead of the browser's error
(function () {
  "use strict";
  var CONFIG = self.XK_SW;
  var SHELL = "xk-shell-" + CONFIG.version;
  var DATA = "xk-data";
  var GUIDES = "xk-guides";
  var IMAGES = "xk-guide-images";
  var MAX_IMAGES = 60;
  var RECENT_KEY = "/__offline__/recent-guides.json";
  var TIMEOUT_MS = 4000;
  var GUIDE_PAGE = new RegExp("^" + CONFIG.guidesPrefix + "(?!quan-ly/)(?!anh/)[^/]+/$");
  var GUIDE_IMAGE = new RegExp("^" + CONFIG.guidesPrefix + "anh/\\d+\\.jpg$");

  function isPage(response) {
    // A redirect (signed out → the login page) or an error is never kept in place of the page.
    return response && response.ok && !response.redirected && response.type === "basic";
  }

  function keepShellPage(cache) {
    return fetch(CONFIG.shell, { credentials: "same-origin" }).then(function (response) {
      if (isPage(response)) return cache.put(CONFIG.shell, response);
      return undefined;
    }, function () { return undefined; });
  }

  // The procedure list, kept at once: the page that installs the worker fetched it before the worker
  // was there to keep a copy.
  function keepSearchIndex() {
    return fetch(CONFIG.searchIndex, { credentials: "same-origin" }).then(function (response) {
      if (!response.ok) return undefined;
      return caches.open(DATA).then(function (cache) { return cache.put(CONFIG.searchIndex, response); });
    }, function () { return undefined; });
  }

  self.addEventListener("install", function (event) {
    event.waitUntil(
      caches.open(SHELL).then(function (cache) {
        return cache.addAll(CONFIG.precache).then(function () { return keepShellPage(cache); });
      }).then(keepSearchIndex).then(function () { return self.skipWaiting(); })
    );
  });

  self.addEventListener("activate", function (event) {
    event.waitUntil(
      caches.keys().then(function (names) {
        return Promise.all(names.filter(function (name) {
          return name.indexOf("xk-shell-") === 0 && name !== SHELL;
        }).map(function (name) { return caches.delete(name); }));
      }).then(function () { return self.clients.claim(); })
    );
  });

  // The network's answer, or the kept copy when the network fails or takes longer than TIMEOUT_MS.
  function networkFirst(request, cacheName, key, keep) {
    return new Promise(function (resolve) {
      var settled = false;
      function settle(response) {
        if (!settled && response) { settled = true; resolve(response); }
      }
      var timer = setTimeout(function () {
        caches.match(key).then(settle);
      }, TIMEOUT_MS);
      fetch(request).then(function (response) {
        clearTimeout(timer);
        if (keep(response)) {
          var copy = response.clone();
          caches.open(cacheName).then(function (cache) { return cache.put(key, copy); });
        }
        settle(response);
      }, function () {
        clearTimeout(timer);
        caches.match(key).then(function (kept) { settle(kept || Response.error()); });
      });
    });
  }

  // Keeps at most ``limit`` entries, dropping the oldest kept (a cache lists its keys in the order
  // they were put).
  function trim(cache, limit) {
    return cache.keys().then(function (keys) {
      return Promise.all(keys.slice(0, Math.max(0, keys.length - limit)).map(function (key) {
        return cache.delete(key);
      }));
    });
  }

  function cacheFirst(request, cacheName, limit) {
    return caches.match(request, { ignoreSearch: true }).then(function (kept) {
      if (kept) return kept;
      return fetch(request).then(function (response) {
        if (response.ok) {
          var copy = response.clone();
          caches.open(cacheName).then(function (cache) {
            return cache.put(request, copy).then(function () { return limit ? trim(cache, limit) : null; });
          });
        }
        return response;
      });
    });
  }

  // The procedure list: asked with the version kept (If-None-Match), so on a weak network an unchanged
  // list costs a bodiless 304 instead of the whole list again.
  function searchIndex(request) {
    return caches.match(CONFIG.searchIndex).then(function (kept) {
      var etag = kept && kept.headers.get("ETag");
      var asked = etag
        ? new Request(request.url, { headers: { "If-None-Match": etag }, credentials: "same-origin" })
        : request;
      return networkFirst(asked, DATA, CONFIG.searchIndex, function (response) {
        return response.status === 200;
      }).then(function (response) {
        return response.status === 304 && kept ? kept : response;
      });
    });
  }

  // --- the guides opened recently ------------------------------------------------------------------

  function readRecent(cache) {
    return cache.match(RECENT_KEY).then(function (kept) { return kept ? kept.json() : []; })
      .catch(function () { return []; });
  }

  function titleOf(html) {
    var found = /<title>([\s\S]*?)<\/title>/i.exec(html);
    if (!found) return "";
    var text = found[1].replace(/\s+/g, " ").trim();
    // The page title ends with " · Xung Kích Số"; entities are few (&amp; &#x27; …): decode the usual ones.
    text = text.replace(/\s·\sXung Kích Số$/, "");
    return text.replace(/&amp;/g, "&").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, "\"")
      .replace(/&lt;/g, "<").replace(/&gt;/g, ">");
  }

  function keepGuide(path, response) {
    return Promise.all([caches.open(GUIDES), response.clone().text()]).then(function (both) {
      var cache = both[0];
      var title = titleOf(both[1]);
      return cache.put(path, response).then(function () { return readRecent(cache); }).then(function (list) {
        list = list.filter(function (item) { return item.url !== path; });
        list.unshift({ url: path, title: title, at: new Date().toISOString() });
        var dropped = list.slice(CONFIG.recentGuides);
        list = list.slice(0, CONFIG.recentGuides);
        return Promise.all(dropped.map(function (item) { return cache.delete(item.url); })).then(function () {
          return cache.put(RECENT_KEY, new Response(JSON.stringify(list), {
            headers: { "Content-Type": "application/json" },
          }));
        });
      });
    });
  }

  function guidePage(request, path) {
    return fetch(request).then(function (response) {
      if (isPage(response)) {
        keepGuide(path, response.clone());
      }
      return response;
    }, function () {
      return caches.open(GUIDES).then(function (cache) { return cache.match(path); })
        .then(function (kept) { return kept || caches.match(CONFIG.shell); })
        .then(function (kept) { return kept || Response.error(); });
    });
  }

  self.addEventListener("fetch", function (event) {
    var request = event.request;
    if (request.method !== "GET") return; // the API and every form post go straight to the network
    var url = new URL(request.url);
    if (url.origin !== self.location.origin) return;
    var path = url.pathname;
    if (path === CONFIG.shell) {
      event.respondWith(networkFirst(request, SHELL, CONFIG.shell, isPage));
    } else if (CONFIG.precache.indexOf(path) !== -1) {
      event.respondWith(cacheFirst(request, SHELL));
    } else if (path === CONFIG.searchIndex) {
      event.respondWith(searchIndex(request));
    } else if (request.mode === "navigate" && GUIDE_PAGE.test(path)) {
      event.respondWith(guidePage(request, path));
    } else if (GUIDE_IMAGE.test(path)) {
      event.respondWith(cacheFirst(request, IMAGES, MAX_IMAGES));
    } else if (request.mode === "navigate") {
      event.respondWith(fetch(request).catch(function () {
        return caches.match(CONFIG.shell).then(function (kept) { return kept || Response.error(); });
      }));
    }
  });
})();
