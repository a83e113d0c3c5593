/* The comment review queue's keys, progressive enhancement only: the page is a plain
   form (a radio button per label, one submit) that works without this file.
   n, u, p: negative, neutral, positive; c: the method's label (confirm it); x: leave as
   is. Each moves on to the next comment. j, k: next, previous. s: save the labels. */
(function () {
  "use strict";

  var form = document.querySelector("[data-review-form]");
  if (!form) { return; }
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-review-item]"));
  if (!items.length) { return; }
  var hint = document.getElementById("review-keys");
  if (hint) { hint.hidden = false; }
  var current = 0;

  function chosen(item) {
    return item.querySelector("input[type=radio]:checked") || item.querySelector("input[type=radio]");
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(items.length - 1, index));
    items.forEach(function (item, position) {
      item.classList.toggle("is-current", position === current);
    });
    if (focus) {
      chosen(items[current]).focus();
      items[current].scrollIntoView({ block: "nearest" });
    }
  }

  function pick(key) {
    var item = items[current];
    var value = key === "c" ? item.getAttribute("data-method") : null;
    var radios = Array.prototype.slice.call(item.querySelectorAll("input[type=radio]"));
    var radio = radios.filter(function (input) {
      return value !== null ? value !== "" && input.value === value : input.getAttribute("data-key") === key;
    })[0];
    if (!radio) { return false; }
    radio.checked = true;
    show(current + 1, true);
    return true;
  }

  // A click or Tab into a comment makes it the current one.
  form.addEventListener("focusin", function (event) {
    var item = event.target.closest("[data-review-item]");
    if (item) { show(items.indexOf(item), false); }
  });

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || event.isComposing) { return; }
    var target = event.target;
    // Typing in a field (the filters, a search box) keeps its letters.
    if (target.closest && target.closest("select, textarea, input:not([type=radio]):not([type=checkbox])")) {
      return;
    }
    var key = event.key.toLowerCase();
    var handled = false;
    if (key === "j") { show(current + 1, true); handled = true; }
    else if (key === "k") { show(current - 1, true); handled = true; }
    else if (key === "s") { form.requestSubmit(); handled = true; }
    else if ("nupcx".indexOf(key) !== -1 && key.length === 1) { handled = pick(key); }
    if (handled) { event.preventDefault(); }
  });

  show(0, false);
}());
