/* Enter in a commune search box (components/commune_search.py) opens the first match of the text typed now.

   Dash's dropdown picks the first option it is showing, which may still be the server's answer to an earlier
   keystroke ("Verdu" when "Verdun⏎" was typed fast). Here Enter in the search field of a box whose trigger has
   the class "commune-search" is kept from the dropdown and the typed text goes to the box's Enter store
   ({"type": "commune-search-enter", "name": …}); the server sets the value to its first match. The popover then
   closes once the box shows the new choice (or at once if the page navigates away). */
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
  window.addEventListener("keyup", function (e) {
    var input = e.target;
    if (e.key !== "Enter" || !input || !input.classList || !input.classList.contains("dash-dropdown-search")) {
      return;
    }
    var box = boxOf(input);
    var typed = (input.value || "").trim();
    if (!box || typed.length < 2 || !window.dash_clientside || !window.dash_clientside.set_props) { return; }
    e.stopPropagation();
    e.preventDefault();
    closeWhenChosen(box.trigger, box.trigger.textContent, input);
    window.dash_clientside.set_props({type: "commune-search-enter", name: box.id.name},
                                     {data: {q: typed, at: Date.now()}});
  }, true);
})();
