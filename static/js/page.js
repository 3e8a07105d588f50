/* Small behaviours shared by every page, bound from data attributes: the Content-Security-Policy
 * runs no inline script and no onclick=/onchange= handler, so pages say what they want here.
 *   data-autosubmit   on a <select>: submit its form when the choice changes (language switcher)
 *   data-print        on a button: print the page
 *   data-back         on a button: go back one page
 *   data-confirm="…"  on a submit button: ask before submitting
 *   data-copy="id"    on a button: copy the value of the input #id, then show data-done */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-autosubmit]") && select.form) {
      select.form.submit();
    }
  });

  function copy(button) {
    var input = document.getElementById(button.dataset.copy);
    if (!input) return;
    var done = function () { button.textContent = button.dataset.done; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done);
    } else {
      input.select();
      document.execCommand("copy");
      done();
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print], [data-back], [data-confirm], [data-copy]") : null;
    if (!button) return;
    if (button.hasAttribute("data-print")) {
      window.print();
    } else if (button.hasAttribute("data-back")) {
      window.history.back();
    } else if (button.hasAttribute("data-copy")) {
      copy(button);
    } else if (button.hasAttribute("data-confirm") && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
    }
  });
})();
