/* Every chart of the atlas: French locale (06_plotly-locale-fr), a toolbar reduced to "download image" and
   "full screen", and its buttons kept out of the Tab order (they are mouse helpers; the data is in the page). */
(function () {
  if (typeof Plotly === "undefined") { return; }
  var expand = {width: 1000, height: 1000, path: "M0 0h400v100H100v300H0zM600 0h400v400H900V100H600zM0 600h100v300h300v100H0zM900 600h100v400H600V900h300z"};
  function fullScreen(gd) {
    var box = gd.closest(".dash-graph") || gd;
    if (document.fullscreenElement) { document.exitFullscreen(); }
    else if (box.requestFullscreen) { box.requestFullscreen(); }
  }
  Plotly.setPlotConfig({
    locale: "fr",
    displaylogo: false,
    modeBarButtons: [["toImage", {name: "pleinEcran", title: "Plein écran", icon: expand, click: fullScreen}]]
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
