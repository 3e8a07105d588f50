// The kiosk's "your number" screen goes back to the start by itself after a while, so the next
// citizen finds the need buttons (instead of <meta http-equiv="refresh">, which axe flags).
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var screen = document.querySelector("[data-return-url]");
    if (!screen) return;
    var seconds = parseInt(screen.getAttribute("data-return-seconds"), 10) || 30;
    window.setTimeout(function () {
      window.location.assign(screen.getAttribute("data-return-url"));
    }, seconds * 1000);
  });
})();
