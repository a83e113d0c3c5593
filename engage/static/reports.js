/* Draw the report charts with plotly.js.
 *
 * Each chart's Plotly figure is a JSON data block (<script type="application/json">),
 * which the content security policy allows because it is never executed. Without
 * JavaScript, or if plotly.js fails to load, the tables under the charts hold the same
 * numbers, so nothing is lost.
 */
(function () {
  "use strict";

  var Plotly = window.Plotly;
  if (!Plotly) {
    return;
  }
  var config = { displayModeBar: false, responsive: true, displaylogo: false };

  function draw(node) {
    var block = document.getElementById(node.getAttribute("data-chart"));
    var figure;
    if (!block) {
      return;
    }
    try {
      figure = JSON.parse(block.textContent);
    } catch (error) {
      return;
    }
    node.textContent = "";
    Plotly.newPlot(node, figure.data, figure.layout, config).then(function () {
      node.setAttribute("data-rendered", "true");
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), draw);

  function resizeAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rendered]"), function (node) {
      Plotly.Plots.resize(node);
    });
  }

  // Fit the charts to the paper's width when printing, and back to the window after.
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);

  // A chart drawn inside a closed <details> has no width; redraw it when opened.
  Array.prototype.forEach.call(document.querySelectorAll("details"), function (details) {
    details.addEventListener("toggle", function () {
      Array.prototype.forEach.call(details.querySelectorAll("[data-rendered]"), function (node) {
        Plotly.Plots.resize(node);
      });
    });
  });
})();
