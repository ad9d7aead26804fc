// "Skriv ut" buttons (data-print): the CSP allows no inline handlers, so the click is bound here.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
