/* Presentation mode for charts: every text of a chart at 20 px or more while body.presentation is set, and
   back to the figure's own sizes when it is turned off. Layout-level sizes (titles, axes, legend) and the colour bars of maps. */
(function () {
  if (typeof Plotly === "undefined") { return; }
  var MIN = 20;
  var KEYS = ["font.size", "title.font.size", "legend.font.size", "hoverlabel.font.size",
              "xaxis.tickfont.size", "yaxis.tickfont.size", "xaxis.title.font.size", "yaxis.title.font.size"];
  function get(obj, path) {
    return path.split(".").reduce(function (o, k) { return o && o[k]; }, obj);
  }
  function on() { return document.body.classList.contains("presentation"); }
  // a map restyled before MapLibre has loaded its style throws "Style is not done loading": wait for it
  function whenReady(gd, fn) {
    var l = gd._fullLayout, m = l && l.map && l.map._subplot && l.map._subplot.map;
    if (!m || m.isStyleLoaded()) { fn(gd); return; }
    if (gd._atlasWaiting) { return; }
    gd._atlasWaiting = true;
    m.once("idle", function () { gd._atlasWaiting = false; all(function (g) { if (g === gd) { fn(gd); } }); });
  }
  function enlarge(gd) {
    if (!gd.layout || !gd._fullLayout || !on()) { return; }
    var update = {}, original = gd._atlasOriginal || {};
    KEYS.forEach(function (k) {
      if (!gd._fullLayout || get(gd._fullLayout, k.split(".")[0]) === undefined) { return; }
      var size = get(gd._fullLayout, k);
      if (typeof size === "number" && size < MIN) {
        if (!(k in original)) { original[k] = get(gd.layout, k) === undefined ? null : get(gd.layout, k); }
        update[k] = k === "title.font.size" ? MIN + 4 : MIN;
      }
    });
    gd._atlasOriginal = original;
    if (Object.keys(update).length) { Plotly.relayout(gd, update); }
    // colour bars of maps (trace-level fonts): ticks and title at 20 px too
    var traces = gd._atlasOriginalTraces || {};
    (gd._fullData || []).forEach(function (t, i) {
      var cb = t.colorbar;
      if (!cb || t.showscale === false || (i in traces)) { return; }
      var tick = cb.tickfont && cb.tickfont.size, title = cb.title && cb.title.font && cb.title.font.size;
      if ((tick && tick < MIN) || (title && title < MIN)) {
        var src = (gd.data[i] && gd.data[i].colorbar) || {};
        traces[i] = {"colorbar.tickfont.size": (src.tickfont && src.tickfont.size) || null,
                     "colorbar.title.font.size": (src.title && src.title.font && src.title.font.size) || null};
        Plotly.restyle(gd, {"colorbar.tickfont.size": MIN, "colorbar.title.font.size": MIN}, [i]);
      }
    });
    gd._atlasOriginalTraces = traces;
  }
  function restore(gd) {
    var traces = gd._atlasOriginalTraces;
    gd._atlasOriginalTraces = null;
    if (traces) { Object.keys(traces).forEach(function (i) { Plotly.restyle(gd, traces[i], [Number(i)]); }); }
    if (!gd._atlasOriginal) { return; }
    var update = {};
    Object.keys(gd._atlasOriginal).forEach(function (k) { update[k] = gd._atlasOriginal[k]; });
    gd._atlasOriginal = null;
    if (Object.keys(update).length) { Plotly.relayout(gd, update); }
  }
  function all(fn) { document.querySelectorAll(".js-plotly-plot").forEach(function (gd) { fn(gd); }); }
  function hook(gd) {
    if (gd._atlasHook || !gd.on) { return; }
    gd._atlasHook = true;
    gd.on("plotly_afterplot", function () {
      window.setTimeout(function () { whenReady(gd, enlarge); mapLegend(); }, 0);  // a redraw keeps both
    });
    whenReady(gd, enlarge);
  }
  new MutationObserver(function () { all(hook); })
    .observe(document.documentElement, {childList: true, subtree: true});
  // panels hidden: the regional map's layer panel (its legend) is gone, so the map shows its own legend
  function mapLegend() {
    var gd = document.querySelector("#map-graph .js-plotly-plot");
    if (!gd || !gd._fullLayout) { return; }
    var want = document.body.classList.contains("panels-hidden");
    if (gd._fullLayout.showlegend !== want) { Plotly.relayout(gd, {showlegend: want}); }
  }
  new MutationObserver(function () {
    all(function (gd) { whenReady(gd, function (g) { if (on()) { enlarge(g); } else { restore(g); } }); });
    mapLegend();
  })
    .observe(document.body, {attributes: true, attributeFilter: ["class"]});
})();
