/* Guides: a "read aloud" button per step, using the browser's own speech (speechSynthesis, vi-VN).
   The buttons are rendered hidden and shown only where the browser can speak; where it has a voice
   list without any Vietnamese voice they stay hidden (the text would be read with the wrong sounds). */
(function () {
  "use strict";
  var synth = window.speechSynthesis;
  if (!synth || typeof window.SpeechSynthesisUtterance !== "function") { return; }
  var buttons = Array.prototype.slice.call(document.querySelectorAll("button[data-speak]"));
  if (!buttons.length) { return; }
  var current = null;

  function vietnameseVoice() {
    var voices = synth.getVoices() || [];
    for (var i = 0; i < voices.length; i++) {
      if (/^vi([-_]|$)/i.test(voices[i].lang)) { return voices[i]; }
    }
    return null;
  }

  function reset(button) {
    button.setAttribute("aria-pressed", "false");
    button.querySelector("[data-label]").textContent = button.getAttribute("data-label-read");
  }

  function textOf(button) {
    var target = document.getElementById(button.getAttribute("data-speak"));
    if (!target) { return ""; }
    var parts = [];
    target.querySelectorAll("[data-spoken]").forEach(function (node) {
      var text = (node.innerText || node.textContent || "").replace(/\s+/g, " ").trim();
      if (text) { parts.push(/[.!?:]$/.test(text) ? text : text + "."); }
    });
    return parts.join(" ");
  }

  function speak(button) {
    var wasCurrent = current === button;
    synth.cancel();
    if (current) { reset(current); current = null; }
    if (wasCurrent) { return; }
    var utterance = new window.SpeechSynthesisUtterance(textOf(button));
    utterance.lang = "vi-VN";
    utterance.rate = 0.9;
    var voice = vietnameseVoice();
    if (voice) { utterance.voice = voice; }
    utterance.onend = utterance.onerror = function () {
      if (current === button) { reset(button); current = null; }
    };
    current = button;
    button.setAttribute("aria-pressed", "true");
    button.querySelector("[data-label]").textContent = button.getAttribute("data-label-stop");
    synth.speak(utterance);
  }

  function show() {
    var voices = synth.getVoices() || [];
    var usable = voices.length === 0 || vietnameseVoice() !== null;
    buttons.forEach(function (button) { button.hidden = !usable; });
  }

  buttons.forEach(function (button) {
    button.addEventListener("click", function () { speak(button); });
  });
  show();
  if (typeof synth.addEventListener === "function") {
    synth.addEventListener("voiceschanged", show);
  }
  window.addEventListener("pagehide", function () { synth.cancel(); });
}());
