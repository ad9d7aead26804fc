// Gated choices (agencies.forms.gated): the search box beside a <select> becomes an accessible combobox
// (WAI-ARIA 1.2 pattern with a listbox popup) that asks the gated endpoint for at most 20 hits as the user
// types. Choosing a hit puts it in the select, which stays the form's real control, so the form posts the
// same thing with or without JavaScript. Without JavaScript the "Sök" button submits the form and the page
// comes back with the hits in the select.
(function () {
  "use strict";

  var counter = 0;

  function setUp(box) {
    if (box.hasAttribute("data-gated-ready")) {
      return;
    }
    box.setAttribute("data-gated-ready", "");
    var select = document.getElementById(box.getAttribute("data-select"));
    var input = box.querySelector(".gated-choice__input");
    var button = box.querySelector(".gated-choice__button");
    if (!select || !input) {
      return;
    }
    var multiple = box.hasAttribute("data-multiple");
    var url = box.getAttribute("data-url");
    var listId = input.id + "_lista";
    counter += 1;

    var list = document.createElement("ul");
    list.id = listId;
    list.className = "gated-choice__list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", input.labels && input.labels[0] ? input.labels[0].textContent : "");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    box.appendChild(list);
    box.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    if (button) {
      button.hidden = true;
    }

    var timer = null;
    var active = -1;
    var request = 0;

    function options() {
      return list.querySelectorAll("[role=option]");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function highlight(index) {
      var items = options();
      if (!items.length) {
        return;
      }
      active = (index + items.length) % items.length;
      for (var i = 0; i < items.length; i += 1) {
        items[i].setAttribute("aria-selected", i === active ? "true" : "false");
      }
      input.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    }

    function choose(item) {
      var value = item.getAttribute("data-value");
      var label = item.textContent;
      var existing = null;
      for (var i = 0; i < select.options.length; i += 1) {
        if (select.options[i].value === value) {
          existing = select.options[i];
        }
      }
      if (!existing) {
        existing = new Option(label, value);
        select.add(existing);
      }
      if (!multiple) {
        select.value = value;
      }
      existing.selected = true;
      select.dispatchEvent(new Event("change", { bubbles: true }));
      status.textContent = label + " " + (box.getAttribute("data-chosen-text") || "vald");
      input.value = "";
      close();
      input.focus();
    }

    function show(results) {
      list.textContent = "";
      results.forEach(function (result, index) {
        var item = document.createElement("li");
        item.id = listId + "_" + counter + "_" + index;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.setAttribute("data-value", String(result.id));
        item.className = "gated-choice__option";
        item.textContent = result.label;
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
      active = -1;
      status.textContent = results.length
        ? results.length + " " + (box.getAttribute("data-hits-text") || "träffar")
        : box.getAttribute("data-none-text") || "Inga träffar";
    }

    function search() {
      var term = input.value.trim();
      if (!term) {
        show([]);
        close();
        return;
      }
      request += 1;
      var mine = request;
      fetch(url + "?q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { results: [] };
        })
        .then(function (data) {
          if (mine === request) {
            show(data.results || []);
          }
        })
        .catch(function () {
          if (mine === request) {
            show([]);
          }
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(search, 250);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (open) {
          highlight(active + 1);
        } else {
          search();
        }
      } else if (event.key === "ArrowUp" && open) {
        event.preventDefault();
        highlight(active - 1);
      } else if (event.key === "Enter") {
        // Never submit the whole form from the search box.
        event.preventDefault();
        if (open && active >= 0) {
          choose(options()[active]);
        } else {
          window.clearTimeout(timer);
          search();
        }
      } else if (event.key === "Escape" && open) {
        event.preventDefault();
        close();
      }
    });
    input.addEventListener("blur", function () {
      window.setTimeout(close, 150);
    });
    list.addEventListener("mousedown", function (event) {
      // Keep the focus in the box while a hit is clicked.
      event.preventDefault();
    });
    list.addEventListener("click", function (event) {
      var item = event.target.closest("[role=option]");
      if (item) {
        choose(item);
      }
    });
  }

  function setUpAll(root) {
    var boxes = (root || document).querySelectorAll("[data-gated-choice]");
    for (var i = 0; i < boxes.length; i += 1) {
      setUp(boxes[i]);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      setUpAll(document);
    });
  } else {
    setUpAll(document);
  }
  document.addEventListener("htmx:load", function (event) {
    setUpAll(event.target);
  });
})();
