/* Survey pages, progressive enhancement only: the pages work without this file.
   1. Focus moves to the error summary when a page comes back with errors.
   2. Skip logic runs as the resident answers. It mirrors surveys/logic.py and must
      follow that module's docstring exactly; the server decides what is stored. */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (summary) {
    if (document.activeElement !== summary) summary.focus();
    // A link in the summary puts the keyboard in the field, with its question in view.
    summary.addEventListener("click", function (event) {
      var link = event.target.closest("a[href^='#']");
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) return;
      event.preventDefault();
      (field.closest(".question, .field") || field).scrollIntoView();
      field.focus({ preventScroll: true });
    });
  }

  var form = document.getElementById("survey-form");
  if (!form || !form.getAttribute("data-logic")) return;
  // [[question name, condition or null], ...] for every question, in survey order.
  var logic = JSON.parse(form.getAttribute("data-logic"));
  var PREFIX = "q.";
  // Python's str.strip() removes exactly these characters (str.isspace).
  var SPACE = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
  var EDGES = new RegExp("^[" + SPACE + "]+|[" + SPACE + "]+$", "g");
  // Python's \d matches any Unicode decimal digit, and float() reads them all.
  var NUMBER = /^[+-]?(?:\p{Nd}+(?:\.\p{Nd}*)?|\.\p{Nd}+)$/u;
  var DIGIT = /\p{Nd}/u;

  function strip(value) {
    return value.replace(EDGES, "");
  }

  // Unicode keeps every set of decimal digits in one run of ten, zero first.
  function asciiDigit(ch) {
    var code = ch.codePointAt(0), start = code;
    while (DIGIT.test(String.fromCodePoint(start - 1))) start -= 1;
    return String((code - start) % 10);
  }

  function asNumber(value) {
    var candidate = value.replace(",", ".");  // the first comma only, as in Python
    if (!NUMBER.test(candidate)) return null;
    return parseFloat(candidate.replace(/\p{Nd}/gu, asciiDigit));
  }

  function valuesMatch(submitted, expected) {
    submitted = strip(submitted);
    expected = strip(expected);
    if (submitted === expected) return true;
    var a = asNumber(submitted), b = asNumber(expected);
    return a !== null && a === b;
  }

  function isRelevant(condition, seen) {
    if (!condition) return true;
    var selected = (seen[condition.question] || []).filter(function (v) { return strip(v) !== ""; });
    var expected = condition.op === "equals" ? condition.values.slice(0, 1) : condition.values;
    var anyMatch = selected.some(function (value) {
      return expected.some(function (wanted) { return valuesMatch(value, String(wanted)); });
    });
    if (condition.op === "equals" || condition.op === "one_of") return anyMatch;
    if (condition.op === "not") return !anyMatch;
    return true;  // an unknown operator shows the question
  }

  function answers() {
    var values = {};
    Array.prototype.forEach.call(form.elements, function (element) {
      if (!element.name || element.name.indexOf(PREFIX) !== 0) return;
      if ((element.type === "radio" || element.type === "checkbox") && !element.checked) return;
      var name = element.name.slice(PREFIX.length);
      (values[name] = values[name] || []).push(element.value);
    });
    return values;
  }

  function update() {
    var submitted = answers(), seen = {};
    logic.forEach(function (entry) {
      var name = entry[0], shown = isRelevant(entry[1], seen);
      // A hidden question counts as unanswered for every later condition.
      if (shown && submitted[name]) seen[name] = submitted[name];
      var block = document.getElementById("q-" + name);
      if (block) block.hidden = !shown;
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
