/* Every chart of the atlas: French locale (06_plotly-locale-fr), a toolbar reduced to "download image" (with
   title, source, date and legend, and a file name that says what it is) and "full screen", and its buttons kept out of the Tab order (they are mouse helpers; the data is in the page). */
(function () {
  if (typeof Plotly === "undefined") { return; }
  var expand = {width: 1000, height: 1000, path: "M0 0h400v100H100v300H0zM600 0h400v400H900V100H600zM0 600h100v300h300v100H0zM900 600h100v400H600V900h300z"};
  function fullScreen(gd) {
    var box = gd.closest(".dash-graph") || gd;
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (box.requestFullscreen) { box.requestFullscreen(); }
  }
  var camera = (Plotly.Icons && Plotly.Icons.camera) || {width: 1000, height: 1000,
    path: "M100 250h200l80-120h240l80 120h200v620H100zM500 360a180 180 0 1 0 0.1 0z"};
  function frenchDate(d) {
    return d.toLocaleDateString("fr-FR", {day: "numeric", month: "long", year: "numeric"});
  }
  function slug(text) {
    return (text || "graphique").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60) || "graphique";
  }
  function heading(gd) {  // the chart's own title, else the nearest heading above it on the page
    var own = gd.layout && gd.layout.title && (gd.layout.title.text || gd.layout.title);
    if (typeof own === "string" && own.trim()) { return own.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ").trim(); }
    var above = [].filter.call(document.querySelectorAll("h1, h2, h3, h4, h5, .card-header, label.chart-title"),
      function (h) { return h.offsetParent !== null && (h.compareDocumentPosition(gd) & Node.DOCUMENT_POSITION_FOLLOWING); });
    var h = above[above.length - 1];
    return h ? h.textContent.trim() : document.title.split(" — ")[0];
  }
  /* The image a meeting can reuse: the figure as on screen plus its title, its source, the date and its legend
     (layout.meta.export, set in Python by components/graph_config.export_meta), named after its title. */
  function exportFigure(gd) {
    var meta = (gd.layout.meta && gd.layout.meta.export) || {};
    var title = meta.title || heading(gd);
    var today = new Date();
    var source = (meta.source ? "Source : " + meta.source : "Sources : voir la page Sources de l'atlas")
      + "<br>Atlas Cœur des territoires, Cnam Grand Est — " + frenchDate(today);
    var margin = Object.assign({l: 0, r: 0, t: 0, b: 0}, gd.layout.margin || {});
    var layout = Object.assign({}, gd.layout, {
      title: {text: "<b>" + title + "</b>", x: 0.01, xanchor: "left", y: 0.985, yanchor: "top", yref: "container",
              font: {size: 20}},
      margin: Object.assign({}, margin, {t: Math.max(margin.t || 0, 60), b: Math.max(margin.b || 0, 60)}),
      annotations: (gd.layout.annotations || []).concat([{text: source, xref: "paper", yref: "paper", x: 0, y: 0,
        xanchor: "left", yanchor: "top", yshift: -8, showarrow: false, font: {size: 13, color: "#333"},
        align: "left"}])
    });
    if (meta.legend) { layout.showlegend = true; }
    var size = gd._fullLayout || {};
    var name = meta.filename || slug(title);
    // layers switched off on screen stay off in the image, and out of its legend
    var data = gd.data.map(function (t) { return t.visible === "legendonly" ? Object.assign({}, t, {visible: false}) : t; });
    return {figure: {data: data, layout: layout},
            options: {format: "png", filename: name + "_" + today.toISOString().slice(0, 10),
                      width: Math.round(size.width || 1200), height: Math.round((size.height || 700) + 110)}};
  }
  function download(gd) {
    var ex = exportFigure(gd);
    return Plotly.downloadImage(ex.figure, ex.options);
  }
  window.atlasExportFigure = exportFigure;  // read by the browser tests
  Plotly.setPlotConfig({
    locale: "fr",
    displaylogo: false,
    modeBarButtons: [[{name: "telecharger", title: "Télécharger l'image (PNG, avec titre, source, date et légende)",
                       icon: camera, click: download},
                      {name: "pleinEcran", title: "Plein écran", icon: expand, click: fullScreen}]]
  });
  function untab(node) {
    if (node.nodeType !== 1) { return; }
    if (node.classList.contains("modebar-btn")) { node.setAttribute("tabindex", "-1"); return; }
    if (node.querySelector(".modebar-btn")) {
      node.querySelectorAll(".modebar-btn").forEach(function (b) { b.setAttribute("tabindex", "-1"); });
    }
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) { r.addedNodes.forEach(untab); });
  }).observe(document.documentElement, {childList: true, subtree: true});
  document.addEventListener("fullscreenchange", function () {  // let the chart take the whole screen and back
    window.dispatchEvent(new Event("resize"));
  });
})();
