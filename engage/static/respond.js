/* Survey pages, progressive enhancement only: the pages work without this file.
   1. Focus moves to the error summary when a page comes back with errors.
   2. Skip logic runs as the resident answers. It mirrors surveys/logic.py and must
      follow that module's docstring exactly; the server decides what is stored.
   3. Answers are checked as the resident gives them, against the limits the server wrote
      on each field (data-min, -max, -integer, -max-length, data-required on the question)
      with its translated messages (on the form); a counter counts characters. Nothing
      stops the form being sent: the server judges. */
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
  if (!form) return;
  // [[question name, condition or null], ...] for every question, in survey order.
  var logic = JSON.parse(form.getAttribute("data-logic") || "null");
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

  if (logic) {
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  }

  function message(name, n) {
    return (form.getAttribute("data-" + name) || "").replace("{n}", n);
  }

  // The message the server would give, or "" (surveys/questions.py: validate, Number).
  function problem(block) {
    var fields = block.querySelectorAll("input, textarea"), field = fields[0], value = "";
    fields.forEach(function (f) {
      if (!/radio|checkbox/.test(f.type) || f.checked) value = value || strip(f.value);
    });
    if (!value) return block.hasAttribute("data-required") ? message("required") : "";
    var limits = field.dataset;
    if (!("min" in limits || "max" in limits || "integer" in limits)) return "";
    // As parse_number: spaces group thousands; "1,500" is refused as ambiguous.
    var n = /^[+-]?\p{Nd}{1,3},\p{Nd}{3}$/u.test(value)
      ? null : asNumber(value.replace(/[ \xa0\u202f]/g, ""));
    var bad = n === null || ("integer" in limits && n % 1) || n < +limits.min || n > +limits.max;
    return bad ? document.getElementById("i-" + block.dataset.question).textContent : "";
  }

  function mark(block, text) {
    var id = "e-" + block.dataset.question, shown = document.getElementById(id);
    var fields = block.querySelectorAll("input, textarea");
    var described = block.querySelector("fieldset") || fields[0];
    var ids = (described.getAttribute("aria-describedby") || "").split(" ").filter(function (i) {
      return i && i !== id;
    });
    if (!text) {
      // The server's messages on a checkbox question may be about the number of options.
      if (!shown || (fields[0].type === "checkbox" && !shown.hasAttribute("data-own"))) return;
      shown.remove();
    } else {
      if (!shown) {
        shown = document.createElement("p");
        shown.className = "error-message";
        shown.id = id;
        shown.setAttribute("data-own", "");
        shown.append("");
        var before = block.querySelector(".options") || fields[0];
        before.before(shown);
      }
      shown.lastChild.nodeValue = text;
      ids.push(id);
    }
    block.classList.toggle("has-error", !!text);
    described.setAttribute("aria-describedby", ids.join(" "));
    fields.forEach(function (f) {
      if (text) f.setAttribute("aria-invalid", "true");
      else f.removeAttribute("aria-invalid");
    });
  }

  form.addEventListener("change", function (event) {
    var block = event.target.closest(".question");
    if (block && !block.hidden) mark(block, problem(block));
  });
  form.addEventListener("input", function (event) {
    var block = event.target.closest(".question.has-error");
    if (block) mark(block, problem(block));
  });

  form.querySelectorAll("[data-max-length]").forEach(function (field) {
    var most = +field.dataset.maxLength, timer;
    var counter = document.createElement("p"), seen = document.createElement("span");
    var said = document.createElement("span");
    counter.className = "counter";
    seen.setAttribute("aria-hidden", "true");
    said.className = "visually-hidden";
    said.setAttribute("aria-live", "polite");
    counter.append(seen, said);
    field.after(counter);
    function count() {
      var left = most - Array.from(strip(field.value)).length;
      var text = left < 0 ? message("over", -left) : message("left", left);
      counter.hidden = left * 2 > most;  // shown from half the limit on
      counter.classList.toggle("error-message", left < 0);
      seen.textContent = text;
      clearTimeout(timer);
      // Said when the resident pauses, near the limit only: not at every key.
      if (left * 10 <= most) timer = setTimeout(function () { said.textContent = text; }, 1000);
    }
    field.addEventListener("input", count);
    count();
  });
})();
