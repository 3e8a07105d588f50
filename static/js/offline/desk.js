// The offline desk (xungkich/helpdesk/views_offline.py draws the page; docs/helpdesk.md "Offline desk").
//
// A record is screened on the phone (static/js/offline/privacy.js, the server's rules), kept in
// IndexedDB, and sent to POST /api/v1/help-sessions with its own Idempotency-Key when the network is
// there: on opening the page, when the phone comes back online, every minute while records wait, and
// on "Send now". The key is made once, when the record is saved, and sent with every attempt, so a
// record is stored once on the server whatever happens to the answers. A refusal (400, 404, 409) keeps
// the record with the server's reason, to edit and send again; a failure of the network or the server
// leaves it waiting. Nothing is sent under another account than the one that saved it.
(function () {
  "use strict";
  var config = JSON.parse(document.getElementById("offline-config").getAttribute("data-config"));
  var M = config.messages;
  var DB_NAME = "xk-offline-desk";
  var STORE = "records";
  var RETRY_MS = 60000;
  // Sent records stay listed for the day summary; their free text is dropped at once (the server has it).
  var KEEP_SENT_DAYS = 7;
  var TEXT_FIELDS = ["place_text", "procedure_code", "procedure_name", "notes"];

  var form = document.getElementById("offline-form");
  var position = null; // {latitude, longitude} when the volunteer chose to share it
  var editing = null; // the refused record being corrected
  var syncing = false;
  var database = null;

  // --- IndexedDB -------------------------------------------------------------------------------------

  function openDatabase() {
    return new Promise(function (resolve, reject) {
      if (!("indexedDB" in window)) { reject(new Error("no indexedDB")); return; }
      var request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        var store = request.result.createObjectStore(STORE, { keyPath: "key" });
        store.createIndex("owner", "owner");
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function transact(mode, work) {
    return new Promise(function (resolve, reject) {
      var tx = database.transaction(STORE, mode);
      var result = work(tx.objectStore(STORE));
      tx.oncomplete = function () { resolve(result && "result" in result ? result.result : undefined); };
      tx.onerror = function () { reject(tx.error); };
      tx.onabort = function () { reject(tx.error); };
    });
  }

  function allRecords() {
    return transact("readonly", function (store) {
      return store.index("owner").getAll(config.userId);
    }).then(function (records) {
      return (records || []).sort(function (a, b) { return a.savedAt < b.savedAt ? -1 : 1; });
    });
  }

  function putRecord(record) {
    return transact("readwrite", function (store) { store.put(record); });
  }

  function deleteRecord(key) {
    return transact("readwrite", function (store) { store["delete"](key); });
  }

  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  function localDay(date) {
    var d = date || new Date();
    return d.getFullYear() + "-" + ("0" + (d.getMonth() + 1)).slice(-2) + "-" + ("0" + d.getDate()).slice(-2);
  }

  // --- the form ----------------------------------------------------------------------------------------

  function chosen(name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    if (checked) return checked.value;
    var field = form.elements.namedItem(name);
    return field && "value" in field ? field.value : "";
  }

  function refreshShown() {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var rule = el.getAttribute("data-show-when");
      var negate = rule.indexOf("!=") > -1;
      var parts = rule.split(negate ? "!=" : "=");
      var current = chosen(parts[0]);
      el.hidden = negate ? current === parts[1] : current !== parts[1];
    });
  }

  function clearErrors() {
    document.getElementById("error-summary-slot").textContent = "";
    form.querySelectorAll(".errorlist.offline").forEach(function (el) { el.remove(); });
  }

  function showErrors(errors) {
    var slot = document.getElementById("error-summary-slot");
    var box = document.createElement("div");
    box.className = "error-summary";
    box.id = "error-summary";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    var title = document.createElement("h2");
    title.className = "error-summary-title";
    title.textContent = M.errorsTitle;
    box.appendChild(title);
    var list = document.createElement("ul");
    list.className = "error-summary-list";
    errors.forEach(function (error) {
      var item = document.createElement("li");
      var link = document.createElement("a");
      link.href = "#field-" + error.field;
      link.textContent = error.message;
      item.appendChild(link);
      list.appendChild(item);
      var holder = document.getElementById("field-" + error.field);
      if (holder) {
        var own = document.createElement("ul");
        own.className = "errorlist offline";
        var line = document.createElement("li");
        line.textContent = error.message;
        own.appendChild(line);
        var label = holder.querySelector("label, legend");
        holder.insertBefore(own, label ? label.nextSibling : holder.firstChild);
        var group = holder.closest("[data-show-when]");
        if (group) group.hidden = false;
      }
    });
    box.appendChild(list);
    slot.appendChild(box);
    box.focus();
  }

  // The free text as the server would store it: trimmed, NFC, identifiers masked; or an error.
  function screenField(name, errors) {
    var input = form.elements.namedItem(name);
    if (!input) return "";
    var value = (input.value || "").normalize("NFC").trim();
    if (!value) return "";
    var limit = input.maxLength > 0 ? input.maxLength : config.limits.notes;
    if (value.length > limit) {
      errors.push({ field: name, message: M.tooLong.replace("%(limit)s", String(limit)) });
      return "";
    }
    var screening = window.XKPrivacy.clean(value); // stripped, control characters out, then screened
    if (screening.hasSecret) {
      errors.push({ field: name, message: M.secret });
      return "";
    }
    return screening.text;
  }

  function intOrNull(value) {
    return /^\d+$/.test(value) ? parseInt(value, 10) : null;
  }

  // The API body of the form, or the errors to show (nothing is kept while there are any).
  function readForm() {
    var errors = [];
    var texts = {};
    TEXT_FIELDS.forEach(function (name) { texts[name] = screenField(name, errors); });
    var body = {
      need: chosen("need"),
      outcome: chosen("outcome") || "done",
      channel: chosen("channel") || "vneid",
      performed_by: chosen("performed_by") || "guided",
      place_kind: chosen("place_kind") || "door_to_door",
      notes: texts.notes,
      recorded_at: new Date().toISOString(),
    };
    if (!body.need) errors.push({ field: "need", message: M.needRequired });
    if (body.outcome === "failed") {
      body.failure_reason = chosen("failure_reason");
      if (!body.failure_reason) errors.push({ field: "failure_reason", message: M.reasonRequired });
    }
    if (body.place_kind === "point") {
      body.service_point = intOrNull(chosen("point"));
      if (body.service_point === null) errors.push({ field: "point", message: M.pointRequired });
    } else {
      body.place_text = texts.place_text;
      var ward = chosen("place_ward");
      if (ward) body.place_ward = ward;
      if (!body.place_text && !ward) errors.push({ field: "place_text", message: M.placeRequired });
      if (position) {
        body.latitude = position.latitude;
        body.longitude = position.longitude;
      }
    }
    var activity = intOrNull(chosen("activity"));
    if (activity !== null) body.activity = activity;
    if (body.need === "dossier") {
      body.procedure_code = texts.procedure_code;
      body.procedure_name = texts.procedure_name;
    }
    var minutes = intOrNull(chosen("duration_minutes"));
    if (minutes !== null) body.duration_minutes = Math.min(minutes, 600);
    ["age_band", "gender"].forEach(function (name) {
      var value = chosen(name);
      if (value) body[name] = value;
    });
    var home = chosen("ward");
    if (home) body.ward = home;
    var first = chosen("first_online");
    if (first) body.first_online = first === "yes";
    return { body: body, errors: errors };
  }

  function fillForm(body) {
    form.reset();
    function set(name, value) {
      if (value === undefined || value === null) return;
      var field = form.elements.namedItem(name);
      if (!field) return;
      if (field instanceof RadioNodeList || (field.length && field[0] && field[0].type === "radio")) {
        Array.prototype.forEach.call(field, function (radio) { radio.checked = radio.value === String(value); });
      } else {
        field.value = String(value);
      }
    }
    set("need", body.need);
    set("outcome", body.outcome);
    set("channel", body.channel);
    set("performed_by", body.performed_by);
    set("place_kind", body.place_kind);
    set("failure_reason", body.failure_reason);
    set("point", body.service_point);
    set("place_ward", body.place_ward);
    set("activity", body.activity);
    set("duration_minutes", body.duration_minutes);
    set("age_band", body.age_band);
    set("gender", body.gender);
    set("ward", body.ward);
    if (body.first_online !== undefined) set("first_online", body.first_online ? "yes" : "no");
    TEXT_FIELDS.forEach(function (name) { set(name, body[name] || ""); });
    position = body.latitude !== undefined ? { latitude: body.latitude, longitude: body.longitude } : null;
    var share = form.elements.namedItem("share_position");
    if (share) share.checked = position !== null;
    refreshShown();
  }

  function save(event) {
    event.preventDefault();
    clearErrors();
    var result = readForm();
    var status = document.getElementById("save-result");
    if (result.errors.length) {
      status.textContent = "";
      showErrors(result.errors);
      return;
    }
    var replaced = editing;
    // The help happened when it was first saved, unless the server refused that very time (a wrong
    // clock): then the corrected record takes the time of the correction.
    var timeRefused = replaced && replaced.error && /^recorded_/.test(replaced.error.code || "");
    if (replaced && !timeRefused) result.body.recorded_at = replaced.body.recorded_at;
    var record = {
      // A new key: the refused version was not stored, and the corrected one is a new request.
      key: newKey(),
      owner: config.userId,
      savedAt: result.body.recorded_at,
      day: replaced && !timeRefused ? replaced.day : localDay(),
      state: "waiting",
      body: result.body,
      error: null,
      serverId: null,
      attempts: 0,
    };
    var work = putRecord(record);
    if (replaced) work = work.then(function () { return deleteRecord(replaced.key); });
    work.then(function () {
      editing = null;
      form.reset();
      position = null;
      document.getElementById("position-state").textContent = "";
      refreshShown();
      status.textContent = M.saved;
      return render();
    }).then(function () {
      if (navigator.onLine) return syncAll();
      return null;
    }).catch(function () {
      showStorageProblem();
    });
  }

  // --- the phone's position (only when ticked) ----------------------------------------------------------

  function round3(value) { return Math.round(value * 1000) / 1000; }

  function onSharePosition(event) {
    var state = document.getElementById("position-state");
    if (!event.target.checked) { position = null; state.textContent = ""; return; }
    if (!("geolocation" in navigator)) { state.textContent = M.positionFailed; event.target.checked = false; return; }
    state.textContent = M.positionAsking;
    navigator.geolocation.getCurrentPosition(function (found) {
      position = { latitude: round3(found.coords.latitude), longitude: round3(found.coords.longitude) };
      state.textContent = M.positionSaved;
    }, function (error) {
      position = null;
      event.target.checked = false;
      state.textContent = error && error.code === 1 ? M.positionDenied : M.positionFailed;
    }, { enableHighAccuracy: false, timeout: 15000, maximumAge: 120000 });
  }

  // --- sync --------------------------------------------------------------------------------------------

  function showSyncProblem(message, link) {
    var box = document.getElementById("sync-problem");
    box.textContent = message;
    if (link) {
      var a = document.createElement("a");
      a.href = link;
      a.textContent = " →";
      box.appendChild(a);
    }
    box.hidden = !message;
  }

  function fetchState() {
    return fetch(config.urls.state, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) throw new Error("state " + response.status);
      return response.json();
    });
  }

  // Sends one record; resolves to "stop" when the rest should wait (network, server or sign-in).
  function send(record, csrfToken) {
    record.attempts += 1;
    return fetch(config.api.sessions, {
      method: "POST",
      credentials: "same-origin",
      cache: "no-store",
      headers: {
        "Content-Type": "application/json",
        "Idempotency-Key": record.key,
        "X-CSRFToken": csrfToken,
      },
      body: JSON.stringify(record.body),
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (answer) {
        if (response.status === 200 || response.status === 201) {
          record.state = "synced";
          record.serverId = answer.id || null;
          record.sentAt = new Date().toISOString();
          record.error = null;
          TEXT_FIELDS.forEach(function (name) { delete record.body[name]; });
          return putRecord(record).then(function () { return "next"; });
        }
        if (response.status === 401 || response.status === 403) {
          showSyncProblem(M.signInAgain, config.urls.login);
          return putRecord(record).then(function () { return "stop"; });
        }
        if (response.status >= 400 && response.status < 500 && response.status !== 408 && response.status !== 429) {
          record.state = "refused";
          record.error = { code: answer.code || String(response.status), message: answer.message || "" };
          return putRecord(record).then(function () { return "next"; });
        }
        showSyncProblem(M.serverBusy);
        return putRecord(record).then(function () { return "stop"; });
      });
    }, function () {
      // No answer: the request may or may not have reached the server. The same key next time makes
      // the server answer with what it stored, if it did.
      return putRecord(record).then(function () { return "stop"; });
    });
  }

  function syncAll() {
    if (syncing || !database || !navigator.onLine) return Promise.resolve();
    syncing = true;
    document.body.setAttribute("data-syncing", "1");
    return allRecords().then(function (records) {
      var waiting = records.filter(function (r) { return r.state === "waiting"; });
      if (!waiting.length) return null;
      return fetchState().then(function (state) {
        if (!state.signedIn) { showSyncProblem(M.signInAgain, config.urls.login); return null; }
        if (state.userId !== config.userId) { showSyncProblem(M.otherUser); return null; }
        showSyncProblem("");
        var chain = Promise.resolve("next");
        waiting.forEach(function (record) {
          chain = chain.then(function (step) { return step === "stop" ? "stop" : send(record, state.csrfToken); });
        });
        return chain;
      }, function () { return null; });
    }).then(function () {
      return serverDayCount();
    }).catch(function () {
      return null;
    }).then(function () {
      syncing = false;
      document.body.removeAttribute("data-syncing");
      return render();
    });
  }

  // The sessions the server holds under this volunteer's name today: the help session list's count.
  function serverDayCount() {
    if (!navigator.onLine) return Promise.resolve();
    var url = config.api.sessions + "?limit=1&date_from=" + config.today + "&date_to=" + config.today;
    return fetch(url, { credentials: "same-origin", cache: "no-store" }).then(function (response) {
      if (!response.ok) return;
      return response.json().then(function (page) {
        document.getElementById("summary-server").textContent = String(page.count);
      });
    }).catch(function () { return null; });
  }

  // --- drawing the lists and the day ------------------------------------------------------------------

  function label(list, code) {
    return (config.labels[list] && config.labels[list][code]) || code || "";
  }

  function timeOf(iso) {
    var d = new Date(iso);
    return ("0" + d.getHours()).slice(-2) + ":" + ("0" + d.getMinutes()).slice(-2) + " " +
      ("0" + d.getDate()).slice(-2) + "/" + ("0" + (d.getMonth() + 1)).slice(-2) + "/" + d.getFullYear();
  }

  function recordItem(record) {
    var item = document.createElement("li");
    item.className = "record record-" + record.state;
    item.setAttribute("data-key", record.key);
    var line = document.createElement("span");
    var body = record.body;
    var where = body.place_kind === "point" ? label("place_kind", "point") : (body.place_text || label("place_kind", body.place_kind));
    line.textContent = timeOf(record.savedAt) + " · " + label("need", body.need) + " · " +
      label("outcome", body.outcome) + " · " + where;
    item.appendChild(line);
    if (record.state === "refused" && record.error) {
      var reason = document.createElement("p");
      reason.className = "record-error";
      reason.textContent = record.error.message || record.error.code;
      item.appendChild(reason);
      var edit = document.createElement("button");
      edit.type = "button";
      edit.className = "secondary record-edit";
      edit.textContent = M.edit;
      edit.addEventListener("click", function () {
        editing = record;
        fillForm(record.body);
        form.scrollIntoView();
      });
      item.appendChild(edit);
    }
    if (record.state !== "synced") {
      var remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button record-remove";
      remove.textContent = M.remove;
      remove.addEventListener("click", function () {
        if (window.confirm(M.confirmRemove)) deleteRecord(record.key).then(render);
      });
      item.appendChild(remove);
    }
    return item;
  }

  function fillList(id, records) {
    var list = document.getElementById(id);
    list.textContent = "";
    if (!records.length) {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = M.none;
      list.appendChild(none);
    }
    records.forEach(function (record) { list.appendChild(recordItem(record)); });
  }

  function render() {
    if (!database) return Promise.resolve();
    return allRecords().then(function (records) {
      var byState = { waiting: [], refused: [], synced: [] };
      records.forEach(function (r) { (byState[r.state] || byState.waiting).push(r); });
      byState.synced.reverse();
      fillList("records-waiting", byState.waiting);
      fillList("records-refused", byState.refused);
      fillList("records-synced", byState.synced);
      ["waiting", "refused", "synced"].forEach(function (state) {
        document.getElementById("count-" + state).textContent = String(byState[state].length);
      });
      // The day on this phone: the records saved today, whatever became of them.
      var today = localDay();
      var todays = records.filter(function (r) { return r.day === today; });
      var count = function (state) { return todays.filter(function (r) { return r.state === state; }).length; };
      document.getElementById("summary-local").textContent = String(todays.length);
      document.getElementById("summary-waiting").textContent = String(count("waiting"));
      document.getElementById("summary-synced").textContent = String(count("synced"));
      document.getElementById("summary-refused").textContent = String(count("refused"));
      var needs = {};
      todays.forEach(function (r) { needs[r.body.need] = (needs[r.body.need] || 0) + 1; });
      var list = document.getElementById("summary-needs");
      list.textContent = "";
      Object.keys(needs).forEach(function (need) {
        var item = document.createElement("li");
        item.textContent = label("need", need) + ": " + needs[need];
        list.appendChild(item);
      });
      document.body.setAttribute("data-records", String(records.length));
    });
  }

  // Sent records older than KEEP_SENT_DAYS leave the phone.
  function forgetOldSent() {
    var limit = localDay(new Date(Date.now() - KEEP_SENT_DAYS * 86400000));
    return allRecords().then(function (records) {
      return Promise.all(records.filter(function (r) { return r.state === "synced" && r.day < limit; })
        .map(function (r) { return deleteRecord(r.key); }));
    });
  }

  // --- network state, installing, the guides kept -----------------------------------------------------

  function showNetwork() {
    var state = document.getElementById("network-state");
    state.textContent = navigator.onLine ? M.online : M.offline;
    state.className = "network-state " + (navigator.onLine ? "is-online" : "is-offline");
  }

  function showStorageProblem() {
    var box = document.getElementById("storage-problem");
    box.textContent = M.storageUnavailable;
    box.hidden = false;
    document.getElementById("save-offline").disabled = true;
  }

  function showRecentGuides() {
    var list = document.getElementById("recent-guides");
    list.textContent = "";
    var empty = function () {
      var none = document.createElement("li");
      none.className = "muted";
      none.textContent = M.noGuides;
      list.appendChild(none);
    };
    if (!("caches" in window)) { empty(); return Promise.resolve(); }
    return caches.match("/__offline__/recent-guides.json").then(function (kept) {
      return kept ? kept.json() : [];
    }).then(function (guides) {
      if (!guides.length) { empty(); return; }
      guides.forEach(function (guide) {
        var item = document.createElement("li");
        var link = document.createElement("a");
        link.href = guide.url;
        link.textContent = guide.title || guide.url;
        item.appendChild(link);
        list.appendChild(item);
      });
    }).catch(empty);
  }

  function registerWorker() {
    if (!("serviceWorker" in navigator)) return;
    navigator.serviceWorker.register(config.urls.worker).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      return Promise.all([caches.match(config.urls.shell), caches.match(config.urls.searchIndex)]);
    }).then(function (kept) {
      if (kept[0] && kept[1]) document.body.setAttribute("data-offline-ready", "1");
      else setTimeout(registerWorker, 2000); // installing: look again shortly
    }).catch(function () { return null; });
  }

  function setUpInstall() {
    var button = document.getElementById("install-app");
    var prompt = null;
    window.addEventListener("beforeinstallprompt", function (event) {
      event.preventDefault();
      prompt = event;
      button.hidden = false;
    });
    button.addEventListener("click", function () {
      if (!prompt) return;
      prompt.prompt();
      prompt = null;
      button.hidden = true;
    });
  }

  // --- the procedure list (static/js/offline/search.js) ------------------------------------------------

  function setUpSearch() {
    var input = document.getElementById("offline-procedure-search");
    var results = document.getElementById("offline-procedure-results");
    var ready = false;
    var S = window.XKOfflineSearch;
    function note(text) {
      results.textContent = "";
      var item = document.createElement("li");
      item.className = "muted";
      item.textContent = text;
      results.appendChild(item);
    }
    if (S && config.urls.searchIndex) {
      fetch(config.urls.searchIndex, { credentials: "same-origin" }).then(function (response) {
        if (!response.ok) throw new Error("index " + response.status);
        return response.json();
      }).then(function (index) {
        S.load(index);
        ready = true;
      }).catch(function () { ready = false; });
    }
    input.addEventListener("input", function () {
      var query = input.value.trim();
      if (!query) { results.textContent = ""; return; }
      if (!ready) { note(M.searchUnavailable); return; }
      var hits = S.search(query, 8);
      if (!hits.length) { note(M.searchEmpty); return; }
      results.textContent = "";
      hits.forEach(function (hit) {
        var item = document.createElement("li");
        var pick = document.createElement("button");
        pick.type = "button";
        pick.className = "procedure-pick secondary";
        pick.textContent = hit.name + (hit.code ? " (" + hit.code + ")" : "");
        pick.addEventListener("click", function () {
          form.elements.namedItem("procedure_code").value = hit.code || "";
          form.elements.namedItem("procedure_name").value = hit.name;
          results.textContent = "";
        });
        item.appendChild(pick);
        results.appendChild(item);
      });
    });
  }

  // --- start ---------------------------------------------------------------------------------------------

  document.getElementById("summary-local-label").textContent = M.summaryToday;
  document.getElementById("summary-server-label").textContent = M.summaryServer;
  showNetwork();
  refreshShown();
  setUpInstall();
  setUpSearch();
  showRecentGuides();
  registerWorker();
  form.addEventListener("change", refreshShown);
  form.addEventListener("submit", save);
  var share = form.elements.namedItem("share_position");
  if (share) share.addEventListener("change", onSharePosition);
  window.addEventListener("online", function () { showNetwork(); syncAll(); });
  window.addEventListener("offline", showNetwork);
  document.getElementById("sync-now").addEventListener("click", function () { syncAll(); });

  // Ask the browser not to clear the records when the phone runs short of space (Chrome grants it to
  // an installed app); without it they are still kept, only evictable under storage pressure.
  if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () { return null; });
  openDatabase().then(function (db) {
    database = db;
    return forgetOldSent();
  }).then(render).then(function () {
    document.body.setAttribute("data-desk-ready", "1");
    return syncAll();
  }).catch(function () {
    showStorageProblem();
    document.body.setAttribute("data-desk-ready", "1");
  });
  setInterval(function () { if (navigator.onLine) syncAll(); }, RETRY_MS);
})();
