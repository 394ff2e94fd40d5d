/* Regional map: the loading message stays until MapLibre has painted the communes. The container gets
   data-drawn="1" at the first idle frame where fill polygons are rendered (CSS then hides the message). */
(function () {
  function painted(map) {
    var style = map.getStyle();
    if (!style) { return false; }
    var fills = style.layers.filter(function (l) { return l.type === "fill"; }).map(function (l) { return l.id; });
    try { return fills.length > 0 && map.queryRenderedFeatures({layers: fills}).length > 0; } catch (e) { return false; }
  }
  function watch(box) {
    if (box.dataset.drawWatch) { return; }
    var gd = box.querySelector(".js-plotly-plot");
    var sub = gd && gd._fullLayout && gd._fullLayout.map && gd._fullLayout.map._subplot;
    if (!sub || !sub.map) { return; }
    box.dataset.drawWatch = "1";
    var map = sub.map;
    function check() {
      if (painted(map)) { box.dataset.drawn = "1"; map.off("idle", check); }
    }
    map.on("idle", check);
    check();
  }
  // a light poll rather than a DOM observer: the MapLibre map object appears without a DOM change of its own
  window.setInterval(function () {
    document.querySelectorAll(".map-container:not([data-draw-watch])").forEach(watch);
  }, 150);
})();
