/* Intake screens, progressive enhancement only: every form works without this file.
   - Entry screen: typing an option's code ticks it (and ticking fills the code), and
     Tab moves from code box to code box, as a broker reads down the paper form.
   - Paper form: a Print button. */
(function () {
  "use strict";

  function splitCodes(text) {
    return text.trim().split(/[\s,;]+/).filter(function (code) { return code !== ""; });
  }

  function enhanceCodeBox(form, box) {
    var name = box.getAttribute("data-code-for");
    var group = null;
    var echo = null;
    form.querySelectorAll("[data-options-for]").forEach(function (element) {
      if (element.getAttribute("data-options-for") === name) { group = element; }
    });
    form.querySelectorAll("[data-code-echo]").forEach(function (element) {
      if (element.getAttribute("data-code-echo") === name) { echo = element; }
    });
    if (!group) { return; }
    var options = Array.prototype.slice.call(group.querySelectorAll("input[data-code]"));
    var blank = group.querySelector("input[data-blank]");
    var unknownText = form.getAttribute("data-unknown-code") || "?";

    // The code box stands for the ticks; they stay clickable but leave the Tab order.
    options.forEach(function (input) { input.tabIndex = -1; });
    if (blank) { blank.tabIndex = -1; }

    function showEcho(codes) {
      if (!echo) { return; }
      var unknown = false;
      var labels = codes.map(function (code) {
        var match = options.filter(function (input) { return input.getAttribute("data-code") === code; })[0];
        if (!match) { unknown = true; return code + ": " + unknownText; }
        return match.getAttribute("data-label");
      });
      echo.textContent = labels.join(" · ");
      echo.classList.toggle("unknown", unknown);
    }

    box.addEventListener("input", function () {
      var codes = splitCodes(box.value);
      options.forEach(function (input) {
        input.checked = codes.indexOf(input.getAttribute("data-code")) !== -1;
      });
      if (blank) { blank.checked = codes.length === 0; }
      showEcho(codes);
    });

    group.addEventListener("change", function () {
      var codes = options.filter(function (input) { return input.checked; })
        .map(function (input) { return input.getAttribute("data-code"); });
      box.value = codes.join(" ");
      showEcho(codes);
    });

    if (box.value.trim()) { showEcho(splitCodes(box.value)); }
  }

  document.querySelectorAll("form[data-entry-form]").forEach(function (form) {
    form.querySelectorAll("input[data-code-for]").forEach(function (box) {
      enhanceCodeBox(form, box);
    });
  });

  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
