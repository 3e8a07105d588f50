// Phones: the main menu folds behind the "Menu" button. The button is shown by this script only,
// so without JavaScript the menu stays open; on wide screens CSS keeps the menu open and hides it.
document.addEventListener("DOMContentLoaded", function () {
  var button = document.getElementById("menu-toggle");
  var nav = document.getElementById("main-menu");
  if (!button || !nav) return;
  button.hidden = false;
  nav.classList.add("foldable");
  button.addEventListener("click", function () {
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("open", open);
  });
});
