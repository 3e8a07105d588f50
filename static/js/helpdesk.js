// Show a group of fields only when it matters: data-show-when="outcome=failed" or "place_kind!=point".
// Fill the procedure fields from the catalogue picker.
(function () {
  function value(form, name) {
    var checked = form.querySelector('input[name="' + name + '"]:checked');
    return checked ? checked.value : "";
  }
  function refresh(form) {
    form.querySelectorAll("[data-show-when]").forEach(function (el) {
      var rule = el.getAttribute("data-show-when");
      var negate = rule.indexOf("!=") > -1;
      var parts = rule.split(negate ? "!=" : "=");
      var current = value(form, parts[0]);
      var show = negate ? current !== parts[1] : current === parts[1];
      if (el.querySelector(".errorlist")) show = true;
      el.hidden = !show;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("session-form");
    if (!form) return;
    refresh(form);
    // A refused form: bring the error summary into view and read it out first.
    var summary = document.getElementById("error-summary");
    if (summary) summary.focus();
    form.addEventListener("change", function () { refresh(form); });
    // The procedure picker: a tap on a catalogue result fills the code and the name.
    form.addEventListener("click", function (event) {
      var pick = event.target.closest(".procedure-pick");
      if (!pick) return;
      form.querySelector("#id_procedure_code").value = pick.getAttribute("data-code");
      form.querySelector("#id_procedure_name").value = pick.getAttribute("data-name");
      var results = document.getElementById("procedure-results");
      if (results) results.textContent = "";
      form.querySelector("#id_procedure_name").focus();
    });
  });
})();
