/* Volunteer import: upload progress bar (htmx) and no double submit of the confirm form.
   Without JavaScript the forms post normally; nothing here is needed for them to work. */
(function () {
  "use strict";

  function formOf(event) {
    var elt = event.detail && event.detail.elt ? event.detail.elt : event.target;
    return elt && elt.closest ? elt.closest("[data-import-form]") : null;
  }

  function parts(form) {
    return {
      box: form.querySelector("[data-import-progress]"),
      bar: form.querySelector("progress"),
      status: form.querySelector("[data-import-status]")
    };
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var form = formOf(event);
    if (!form) return;
    var p = parts(form);
    form.dataset.uploadDone = "";
    if (p.box) p.box.hidden = false;
    if (p.bar) p.bar.value = 0;
    if (p.status) p.status.textContent = form.dataset.textUploading || "";
  });

  // htmx fires this for the upload and, later, for the response download: only the first counts.
  document.addEventListener("htmx:xhr:progress", function (event) {
    var form = formOf(event);
    if (!form || form.dataset.uploadDone) return;
    var p = parts(form);
    var d = event.detail || {};
    if (!d.lengthComputable || !d.total) return;
    var percent = Math.round((d.loaded / d.total) * 100);
    if (p.bar) p.bar.value = percent;
    if (p.status) p.status.textContent = (form.dataset.textUploading || "") + " " + percent + "%";
    if (d.loaded >= d.total) {
      form.dataset.uploadDone = "1";
      // Reading a large file takes a moment: an indeterminate bar while the server checks it.
      if (p.bar) p.bar.removeAttribute("value");
      if (p.status) p.status.textContent = form.dataset.textChecking || "";
    }
  });

  document.addEventListener("htmx:responseError", function (event) {
    var form = formOf(event);
    if (!form) return;
    var p = parts(form);
    if (p.box) p.box.hidden = true;
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-import-confirm]")) return;
    if (form.dataset.submitted) {
      event.preventDefault();
      return;
    }
    form.dataset.submitted = "1";
    var button = form.querySelector("button[type=submit]");
    if (button) {
      button.setAttribute("aria-disabled", "true");
      if (form.dataset.textSaving) button.textContent = form.dataset.textSaving;
    }
  });
})();
