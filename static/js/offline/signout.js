// On "Sign out" the phone forgets the pages it kept for offline use (the desk page names the volunteer;
// the guides kept are the ones they opened). Records waiting on the phone stay, tied to their account,
// and are sent at that account's next sign-in on this phone.
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute("data-sign-out") || !("caches" in window) || form.getAttribute("data-cleared")) return;
    event.preventDefault();
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) { return name.indexOf("xk-") === 0; })
        .map(function (name) { return caches.delete(name); }));
    }).catch(function () { return null; }).then(function () {
      form.setAttribute("data-cleared", "1");
      form.submit();
    });
  });
})();
