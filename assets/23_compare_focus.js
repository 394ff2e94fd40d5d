/* /ville/<code>?comparer=<code>: the comparison the user asked for is brought into view and focused (its
   heading), so the answer is on screen and a screen reader starts there. Once per comparison shown. */
(function () {
  window.setInterval(function () {
    var block = document.querySelector("#ville-compare:not([data-shown])");
    if (!block) { return; }
    block.setAttribute("data-shown", "1");
    var head = block.querySelector("h2") || block;
    head.setAttribute("tabindex", "-1");
    block.scrollIntoView({block: "start"});
    head.focus({preventScroll: true});
  }, 150);
})();
