/* Check-in by QR code with the browser's own BarcodeDetector (no library).
 * Where the browser has no BarcodeDetector or no camera, the typed-code form and the name search
 * work alone. A detected code is written into the same code box a person types into and the same
 * form is submitted, so the camera and the keyboard take one path to the server. */
(function () {
  "use strict";
  var form = document.getElementById("checkin-form");
  var input = document.getElementById("id_code");
  var panel = document.getElementById("scanner");
  var unavailable = document.getElementById("scanner-unavailable");
  var video = document.getElementById("scanner-video");
  var startButton = document.getElementById("scanner-start");
  var stopButton = document.getElementById("scanner-stop");
  if (!form || !input) { return; }

  function submitCode(text) {
    input.value = text;
    if (form.requestSubmit) { form.requestSubmit(); } else { form.submit(); }
  }
  window.xkCheckinSubmit = submitCode;

  form.addEventListener("htmx:afterRequest", function () { input.value = ""; input.focus(); });

  var canScan = "BarcodeDetector" in window && navigator.mediaDevices && navigator.mediaDevices.getUserMedia;
  if (!canScan || !panel) { return; }
  panel.hidden = false;
  if (unavailable) { unavailable.hidden = true; }

  var stream = null, detector = null, lastText = "", lastAt = 0, running = false;

  function stop() {
    running = false;
    if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); stream = null; }
    video.removeAttribute("data-live");
    startButton.hidden = false; stopButton.hidden = true;
  }

  function tick() {
    if (!running) { return; }
    detector.detect(video).then(function (codes) {
      if (codes.length) {
        var text = codes[0].rawValue, now = Date.now();
        // The same code stays in view for a while: send it once every 3 seconds at most.
        if (text !== lastText || now - lastAt > 3000) { lastText = text; lastAt = now; submitCode(text); }
      }
    }).catch(function () { /* a frame that could not be read */ }).then(function () {
      window.setTimeout(tick, 250);
    });
  }

  startButton.addEventListener("click", function () {
    window.BarcodeDetector.getSupportedFormats().then(function (formats) {
      if (formats.indexOf("qr_code") === -1) { throw new Error("no qr"); }
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    }).then(function (s) {
      stream = s; video.srcObject = s; video.setAttribute("data-live", "");
      return video.play();
    }).then(function () {
      running = true; startButton.hidden = true; stopButton.hidden = false; tick();
    }).catch(function () {
      stop(); panel.hidden = true; if (unavailable) { unavailable.hidden = false; }
    });
  });
  stopButton.addEventListener("click", stop);
  window.addEventListener("pagehide", stop);
})();
