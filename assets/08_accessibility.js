/* Accessible names for slider thumbs (role=slider): Dash's dcc.Slider takes no aria-label, so the thumb gets
   the label of its row ([data-slider-label], set by the page) or, failing that, the text of the nearest <label>.
   The slider's number box (Dash 4 "direct input") gets the thumb's name (axe "label"). */
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
    var boxes = node.matches("input.dash-range-slider-input") ? [node]
      : node.querySelectorAll("input.dash-range-slider-input");
    boxes.forEach(function (box) {
      if (box.hasAttribute("aria-label") || box.hasAttribute("aria-labelledby")) { return; }
      var slider = box.closest(".dash-slider-container");
      var thumb = slider && slider.querySelector("[role=slider][aria-label]");
      var n = thumb ? thumb.getAttribute("aria-label") : nameOf(box);
      if (!n) { return; }
      var range = slider && slider.querySelectorAll("input.dash-range-slider-input").length > 1;
      if (range) { n += box.classList.contains("dash-range-slider-min-input") ? " (minimum)" : " (maximum)"; }
      box.setAttribute("aria-label", n);
    });
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) { r.addedNodes.forEach(name); });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();

/* Third-party widgets whose markup fails WCAG 2.1 AA (axe-core, issue #18), repaired in the page as they mount.
   Each repair is scoped to the widget's own classes and says why; no axe rule is turned off anywhere.
   - dcc.Dropdown (Dash 4): a hidden <input class="dash-dropdown-focus-target" aria-hidden="true" tabindex="0">
     receives Tab and forwards focus to the real trigger <button tabindex="-1">: a focusable element hidden from
     screen readers (axe aria-hidden-focus). The trigger button itself becomes the Tab stop (it opens on Enter,
     ArrowDown or a typed letter, as before) and the proxy is disabled, so it is never focusable.
   - dbc.Tabs (dash-bootstrap-components 2.0.4): every tab gets the same id "…-tab-null", aria-controls pointing to
     no element and tabindex="-1", so no tab is reachable by keyboard (axe aria-valid-attr-value). Each tab is
     tied to its panel (the panels are in the same order), the selected one is the Tab stop (aria-selected), and
     the arrow keys, Home and End move between tabs (WAI-ARIA tabs pattern, automatic activation).
   - MapLibre (inside Plotly's maps): English names "Map" and "Toggle attribution" → French; Bootstrap's close
     button of dismissable alerts (dbc.Alert): "Close" → "Fermer". */
(function () {
  var FR = {"Map": "Carte", "Toggle attribution": "Afficher ou masquer les sources du fond de carte",
            "Close": "Fermer"};

  function each(root, selector, fn) {  // root itself and its descendants
    if (root.matches(selector)) { fn(root); }
    root.querySelectorAll(selector).forEach(fn);
  }

  function dropdowns(root) {
    each(root, ".dash-dropdown-focus-target:not([disabled])", function (proxy) {
      proxy.disabled = true;
      proxy.tabIndex = -1;
      var trigger = proxy.nextElementSibling;
      if (trigger && trigger.tagName === "BUTTON") { trigger.tabIndex = 0; }
    });
  }

  function syncTabs(list) {
    var content = list.nextElementSibling;
    var panes = content && content.classList.contains("tab-content") ? content.children : [];
    list.querySelectorAll("[role=tab]").forEach(function (tab, i) {
      var pane = panes[i];
      var selected = tab.classList.contains("active");
      if (pane && pane.id) {
        var id = pane.getAttribute("aria-labelledby") || pane.id + "-tab";
        if (tab.id !== id) { tab.id = id; }
        if (tab.getAttribute("aria-controls") !== pane.id) { tab.setAttribute("aria-controls", pane.id); }
      }
      if (tab.getAttribute("aria-selected") !== String(selected)) { tab.setAttribute("aria-selected", String(selected)); }
      if (tab.tabIndex !== (selected ? 0 : -1)) { tab.tabIndex = selected ? 0 : -1; }
      if (tab.parentElement && tab.parentElement.classList.contains("nav-item")
          && tab.parentElement.getAttribute("role") !== "presentation") {
        tab.parentElement.setAttribute("role", "presentation");
      }
    });
  }

  function tabs(root) {
    each(root, ".nav[role=tablist]", function (list) {
      syncTabs(list);
      if (list._atlasTabs) { return; }
      list._atlasTabs = true;
      // the active tab changes by a class set by React: follow it
      new MutationObserver(function () { syncTabs(list); })
        .observe(list, {subtree: true, childList: true, attributes: true, attributeFilter: ["class"]});
      list.addEventListener("keydown", function (ev) {
        var all = Array.prototype.slice.call(list.querySelectorAll("[role=tab]"));
        var i = all.indexOf(document.activeElement);
        if (i < 0) { return; }
        var next = {ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: all.length - 1}[ev.key];
        if (next === undefined) {
          if (ev.key === " " || ev.key === "Spacebar") { ev.preventDefault(); all[i].click(); }
          return;
        }
        ev.preventDefault();
        var tab = all[(next + all.length) % all.length];
        tab.focus();
        tab.click();
      });
    });
  }

  function names(root) {
    each(root, ".maplibregl-canvas, .maplibregl-ctrl-attrib-button, .btn-close", function (el) {
      ["aria-label", "title"].forEach(function (attr) {
        var v = el.getAttribute(attr);
        if (v && FR.hasOwnProperty(v)) { el.setAttribute(attr, FR[v]); }
      });
    });
  }

  function repair(node) {  // SVG (Plotly's charts) holds none of these widgets: skipped, it is most of the nodes
    if (node.nodeType !== 1 || node instanceof SVGElement) { return; }
    dropdowns(node);
    tabs(node);
    names(node);
  }
  repair(document.documentElement);
  new MutationObserver(function (records) {
    records.forEach(function (r) { r.addedNodes.forEach(repair); });
  }).observe(document.documentElement, {childList: true, subtree: true});
})();

/* Glossary definitions (components/glossary.py) shown on hover or focus close with Esc (WCAG 1.4.13) and come
   back on the next hover or focus. */
(function () {
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "Escape") { return; }
    document.querySelectorAll(".glossary-term:hover, .glossary-term:focus").forEach(function (el) {
      el.classList.add("glossary-closed");
    });
  });
  ["mouseout", "focusout"].forEach(function (type) {
    document.addEventListener(type, function (ev) {
      var el = ev.target.closest && ev.target.closest(".glossary-term");
      if (el) { el.classList.remove("glossary-closed"); }
    });
  });
})();
