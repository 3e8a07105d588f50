// Show a group of fields only when it matters: data-show-when="outcome=failed" or "place_kind!=point".
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
    form.addEventListener("change", function () { refresh(form); });
  });
})();
