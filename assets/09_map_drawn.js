/* Regional map: the loading message stays until MapLibre has painted the communes. The container gets
   data-drawn="1" at the first idle frame (every tile loaded and rendered) once the fill layer of the communes
   is on the map and its source loaded; CSS then hides the message. No queryRenderedFeatures here: reading
   back the 5,115 polygons costs the main thread a quarter of a second in software rendering. */
(function () {
  function painted(map) {
    var style = map.getStyle();
    if (!style) { return false; }
    var fills = style.layers.filter(function (l) {
      return l.type === "fill" && (!l.layout || l.layout.visibility !== "none");
    });
    try {
      return fills.length > 0 && fills.every(function (l) { return map.isSourceLoaded(l.source); });
    } catch (e) { return false; }
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
    map.triggerRepaint();  // one more idle event, should the map have settled before this watch began
  }
  // a light poll rather than a DOM observer: the MapLibre map object appears without a DOM change of its own
  window.setInterval(function () {
    document.querySelectorAll(".map-container:not([data-draw-watch])").forEach(watch);
  }, 150);
})();
