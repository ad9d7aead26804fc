// The main navigation on a narrow screen: a "Meny" button that shows and hides the list of links.
// Without JavaScript the links simply wrap under the brand (the button stays hidden), so nothing depends on it.
(function () {
  var nav = document.querySelector("[data-collapsible-nav]");
  if (!nav) {
    return;
  }
  var button = nav.querySelector(".nav-toggle");
  var list = nav.querySelector("ul");
  var narrow = window.matchMedia("(max-width: 50rem)");

  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("main-nav--open", open);
  }

  nav.classList.add("main-nav--collapsible");
  setOpen(false);
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  // Escape closes the open menu and gives the focus back to its button.
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && narrow.matches) {
      setOpen(false);
      button.focus();
    }
  });
  // Widening the window past the breakpoint shows the links anyway (CSS); close the menu so a later narrowing
  // starts collapsed.
  narrow.addEventListener("change", function () {
    setOpen(false);
  });
  list.id = list.id || "main-nav-list";
})();
