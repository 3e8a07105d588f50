/* The TV board: polls the board JSON every few seconds, keeps showing the last data while the
   network is down (with a visible "reconnecting" line), and announces each call and recall aloud
   in Vietnamese once sound is turned on (browsers allow speech only after a user gesture). */
(function () {
  "use strict";
  var root = document.getElementById("board");
  if (!root) return;
  var url = root.dataset.stateUrl;
  var INTERVAL = 3000, MAX_DELAY = 15000, TIMEOUT = 5000;
  var delay = INTERVAL, seen = null, soundOn = false, failures = 0;
  var desks = document.getElementById("board-desks");
  var status = document.getElementById("board-connection");
  var soundButton = document.getElementById("board-sound");

  function fill(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, key) { return values[key]; });
  }

  function say(text) {
    root.dataset.lastAnnouncement = text;
    if (!soundOn || !("speechSynthesis" in window)) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = "vi-VN";
    var voices = window.speechSynthesis.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (voices[i].lang && voices[i].lang.toLowerCase().indexOf("vi") === 0) { utterance.voice = voices[i]; break; }
    }
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }

  function render(state) {
    desks.textContent = "";
    if (!state.serving.length) {
      var empty = document.createElement("li");
      empty.className = "board-empty";
      empty.textContent = root.dataset.empty;
      desks.appendChild(empty);
    }
    state.serving.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "board-desk";
      var number = document.createElement("span");
      number.className = "board-number";
      number.textContent = item.label;
      var desk = document.createElement("span");
      desk.className = "board-desk-name";
      desk.textContent = item.desk;
      li.appendChild(number);
      li.appendChild(desk);
      desks.appendChild(li);
    });
    document.getElementById("board-waiting").textContent = state.waiting;
    document.getElementById("board-wait").textContent =
      state.waiting ? "(" + fill(root.dataset.minutes, { minutes: state.estimated_wait_minutes }) + ")" : "";
    document.getElementById("board-next").textContent = state.next.join("  ");
    var keys = state.serving.map(function (item) { return item.key; });
    if (seen !== null) {
      // The oldest call first, so two desks calling at once are both heard.
      state.serving.slice().reverse().forEach(function (item) {
        if (seen.indexOf(item.key) === -1) {
          say(fill(root.dataset.say, { number: String(item.number), desk: item.desk }));
        }
      });
    }
    seen = keys;
  }

  function online(ok) {
    status.hidden = ok;
    root.classList.toggle("board-offline", !ok);
  }

  function poll() {
    var controller = "AbortController" in window ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, TIMEOUT) : null;
    fetch(url, { cache: "no-store", signal: controller ? controller.signal : undefined })
      .then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      })
      .then(function (state) {
        failures = 0;
        delay = INTERVAL;
        online(true);
        render(state);
      })
      .catch(function () {
        failures += 1;
        online(false);  // keep the last numbers on screen
        delay = Math.min(MAX_DELAY, INTERVAL * Math.pow(2, Math.min(failures, 3)) / 2);
      })
      .then(function () {
        if (timer) clearTimeout(timer);
        setTimeout(poll, delay);
      });
  }

  soundButton.addEventListener("click", function () {
    soundOn = !soundOn;
    soundButton.setAttribute("aria-pressed", soundOn ? "true" : "false");
    soundButton.textContent = soundOn ? soundButton.dataset.on : soundButton.dataset.off;
    if (soundOn && "speechSynthesis" in window) {
      // Speaking something short inside the click unlocks speech for later calls.
      var hello = new SpeechSynthesisUtterance(" ");
      hello.lang = "vi-VN";
      window.speechSynthesis.speak(hello);
    }
  });
  window.addEventListener("online", function () { delay = 0; });
  poll();
})();
