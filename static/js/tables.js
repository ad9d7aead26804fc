// Tables scroll sideways inside their own box (.table-wrap) instead of widening the page. A box that really
// scrolls must be reachable by keyboard (axe: scrollable-region-focusable), so it becomes a named, focusable
// region — only then, so a table that fits adds no extra tab stop. Runs again after every htmx swap.
(function () {
  function label(table) {
    var caption = table.querySelector("caption");
    if (caption && caption.textContent.trim()) {
      return caption.textContent.trim();
    }
    var section = table.closest("section");
    var heading = section && section.querySelector("h2, h3");
    if (heading && heading.textContent.trim()) {
      return heading.textContent.trim();
    }
    return document.documentElement.lang === "en" ? "Table" : "Tabell";
  }

  function fit(root) {
    var tables = (root || document).querySelectorAll("main table");
    tables.forEach(function (table) {
      var wrap = table.parentElement;
      if (!wrap.classList.contains("table-wrap")) {
        wrap = document.createElement("div");
        wrap.className = "table-wrap";
        table.parentNode.insertBefore(wrap, table);
        wrap.appendChild(table);
      }
      if (wrap.scrollWidth > wrap.clientWidth + 1 && !wrap.hasAttribute("tabindex")) {
        wrap.setAttribute("tabindex", "0");
        wrap.setAttribute("role", "region");
        if (!wrap.hasAttribute("aria-label") && !wrap.hasAttribute("aria-labelledby")) {
          wrap.setAttribute("aria-label", label(table));
        }
      }
    });
  }

  fit(document);
  document.addEventListener("htmx:afterSettle", function (event) {
    fit(event.target);
  });
  var pending;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(function () { fit(document); }, 150);
  });
})();
