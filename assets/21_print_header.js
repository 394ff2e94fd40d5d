/* Print header of every page: date of edition and address of the page, kept up to date on <body> as
   data-print-date / data-print-url for assets/print.css (body::before and the @page margin boxes). */
(function () {
  function stamp() {
    var d = new Date();
    var date = d.toLocaleDateString("fr-FR", {day: "numeric", month: "long", year: "numeric"});
    document.body.setAttribute("data-print-date", "Édité le " + date);
    document.body.setAttribute("data-print-url", window.location.href);
    document.documentElement.style.setProperty("--print-date", JSON.stringify("Édité le " + date));
  }
  var PRINT_PX = 640;  // 17 cm at 96 px per inch: the printable width of an A4 page with its margins
  function fitCharts() {  // a chart drawn for the screen is scaled down to the page, never cut on the right
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) {
      var w = gd.getBoundingClientRect().width;
      gd.style.zoom = w > PRINT_PX ? String(PRINT_PX / w) : "";
    });
  }
  function unfitCharts() {
    document.querySelectorAll(".js-plotly-plot").forEach(function (gd) { gd.style.zoom = ""; });
  }
  document.addEventListener("DOMContentLoaded", stamp);
  window.addEventListener("beforeprint", function () { stamp(); fitCharts(); });
  window.addEventListener("afterprint", unfitCharts);
  window.addEventListener("popstate", stamp);
  ["pushState", "replaceState"].forEach(function (name) {  // Dash navigates without reloading the page
    var original = history[name];
    history[name] = function () { var out = original.apply(this, arguments); stamp(); return out; };
  });
})();
