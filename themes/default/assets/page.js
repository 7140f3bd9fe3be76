// Small improvements for every page; each page works without them.
(function () {
  "use strict";
  // On a phone the contents would push the policy two screens down: start them folded.
  if (window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    Array.prototype.forEach.call(document.querySelectorAll("details.toc-details"), function (d) {
      d.open = false;
    });
  }
  // The paper form's Print button: without scripts, the browser's own Print does the same.
  Array.prototype.forEach.call(document.querySelectorAll(".print-button"), function (p) {
    var button = p.querySelector("button");
    if (!button || !window.print) return;
    button.addEventListener("click", function () { window.print(); });
    p.hidden = false;
  });
})();
