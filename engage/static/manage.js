// Survey builder enhancements; every page also works without this file.
(function () {
  "use strict";
  // Skip logic: open the answers of the question chosen in the select, close the others.
  var form = document.getElementById("condition-form");
  if (!form) { return; }
  var select = form.querySelector("select[name='condition-depends_on']");
  if (!select) { return; }
  function showChosen() {
    var groups = form.querySelectorAll("details.answer-group");
    for (var i = 0; i < groups.length; i++) {
      groups[i].open = groups[i].getAttribute("data-source") === select.value;
    }
  }
  select.addEventListener("change", showChosen);
}());
