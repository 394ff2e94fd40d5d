/* Accessible names for slider thumbs (role=slider): Dash's dcc.Slider takes no aria-label, so the thumb gets
   the label of its row ([data-slider-label], set by the page) or, failing that, the text of the nearest <label>. */
(function () {
  function nameOf(thumb) {
    var row = thumb.closest("[data-slider-label]");
    if (row) { return row.getAttribute("data-slider-label"); }
    for (var el = thumb.parentElement, i = 0; el && i < 6; el = el.parentElement, i++) {
      var label = el.querySelector("label");
      if (label && label.textContent.trim()) { return label.textContent.trim(); }
    }
    return null;
  }
  function name(node) {
    if (node.nodeType !== 1) { return; }
    var thumbs = node.matches("[role=slider]") ? [node] : node.querySelectorAll("[role=slider]");
    thumbs.forEach(function (t) {
      if (t.hasAttribute("aria-label") || t.hasAttribute("aria-labelledby")) { return; }
      var n = nameOf(t);
      if (n) { t.setAttribute("aria-label", n); }
    });
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) { r.addedNodes.forEach(name); });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();
