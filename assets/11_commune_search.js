/* Enter in a commune search box (components/commune_search.py) opens the first match of the text typed now.

   Dash's dropdown picks the first option it is showing, which may still be the server's answer to an earlier
   keystroke ("Verdu" when "Verdun⏎" was typed fast). Here Enter in the search field of a box whose trigger has
   the class "commune-search" is kept from the dropdown and the typed text goes to the box's Enter store
   ({"type": "commune-search-enter", "name": …}); the same when Enter comes on the box's button before the
   typed text has moved to the field (a fast typist). The server sets the value to its first match. The popover then
   closes once the box shows the new choice (or at once if the page navigates away). Letters typed while the
   focus is on the box's button or on its current choice go to the search field (Dash focuses the current choice
   when the list opens: typing there was lost, and Enter there cleared the choice). */
(function () {
  function boxOf(input) {
    var wrapper = input.closest(".dash-dropdown-wrapper");
    var trigger = wrapper && wrapper.querySelector("button.commune-search");
    if (!trigger || !trigger.id) { return null; }
    try { return {trigger: trigger, id: JSON.parse(trigger.id)}; } catch (e) { return null; }
  }
  function closeWhenChosen(trigger, before, input) {
    var done = false;
    var obs = new MutationObserver(function () {
      if (done || trigger.textContent === before) { return; }
      done = true;
      obs.disconnect();
      input.dispatchEvent(new KeyboardEvent("keydown", {key: "Escape", code: "Escape", bubbles: true}));
    });
    obs.observe(trigger, {childList: true, subtree: true, characterData: true});
    setTimeout(function () { done = true; obs.disconnect(); }, 15000);
  }
  // a letter typed while the focus is on the box's button or on one of its options (Dash focuses the current
  // choice when the list opens) goes to the search field: the field takes the focus before the letter lands
  window.addEventListener("keydown", function (e) {
    var target = e.target;
    if (!target || !target.closest || e.key.length !== 1 || e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (target.classList.contains("dash-dropdown-search")) { return; }
    var onTrigger = target.matches("button.commune-search");
    if (!onTrigger && (e.key === " " || !target.closest(".dash-dropdown-content"))) { return; }
    var wrapper = target.closest(".dash-dropdown-wrapper");
    var input = wrapper && wrapper.querySelector("input.dash-dropdown-search");
    if (input && boxOf(input)) { input.focus(); }
  }, true);

  window.addEventListener("keyup", function (e) {
    var target = e.target;
    if (e.key !== "Enter" || !target || !target.closest) { return; }
    // Enter in the search field, or on the box's button while the text typed there has not moved to the field yet
    var onField = target.classList.contains("dash-dropdown-search");
    var wrapper = (onField || target.matches("button.commune-search")) && target.closest(".dash-dropdown-wrapper");
    var input = wrapper && wrapper.querySelector("input.dash-dropdown-search");
    var box = input && boxOf(input);
    var typed = input ? (input.value || "").trim() : "";
    if (!box || typed.length < 2 || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    e.stopPropagation();
    e.preventDefault();
    closeWhenChosen(box.trigger, box.trigger.textContent, input);
    window.dash_clientside.set_props({type: "commune-search-enter", name: box.id.name},
                                     {data: {q: typed, at: Date.now()}});
  }, true);
})();
