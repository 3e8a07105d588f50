// After "Sign out" (the login page with ?signed_out=1): the phone forgets the pages it kept for offline
// use (the desk page names the volunteer; the guides kept are the ones they opened). Records waiting on
// the phone stay in IndexedDB, tied to their account, and are sent at that account's next sign-in.
(function () {
  "use strict";
  function done() { document.body.setAttribute("data-offline-forgotten", "1"); }
  if (!("caches" in window)) { done(); return; }
  caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) { return name.indexOf("xk-") === 0; })
      .map(function (name) { return caches.delete(name); }));
  }).catch(function () { return null; }).then(done);
})();
