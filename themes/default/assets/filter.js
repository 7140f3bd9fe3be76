// The All Policies index: the review status counts become buttons that show only the policies
// with that status (pressed again, or "Show all", to show every policy again). Without
// JavaScript the counts stay plain text and every policy is listed.
(function () {
  "use strict";
  var list = document.querySelector(".status-counts[data-filter-rows]");
  if (!list) return;
  var rows = Array.prototype.slice.call(document.querySelectorAll(list.getAttribute("data-filter-rows")));
  var announce = document.querySelector(".filter-status");
  var buttons = [];

  function show(status, label) {
    var shown = 0;
    rows.forEach(function (row) {
      var match = !status || row.getAttribute("data-status") === status;
      row.hidden = !match;
      if (match) shown += 1;
    });
    // A category with no policy left to show is hidden with its heading.
    Array.prototype.forEach.call(document.querySelectorAll("section.category"), function (section) {
      section.hidden = !section.querySelector("tbody tr:not([hidden])");
    });
    buttons.forEach(function (b) {
      b.setAttribute("aria-pressed", String(b.getAttribute("data-status") === (status || "")));
    });
    if (announce) {
      announce.textContent = status
        ? "Showing " + shown + (shown === 1 ? " policy" : " policies") + ": " + label + "."
        : "Showing all " + rows.length + (rows.length === 1 ? " policy." : " policies.");
    }
  }

  function button(status, content, label) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "status-filter";
    b.setAttribute("data-status", status);
    b.setAttribute("aria-pressed", "false");
    while (content.firstChild) b.appendChild(content.firstChild);
    b.addEventListener("click", function () {
      var on = b.getAttribute("aria-pressed") === "true";
      show(on || !status ? "" : status, label);
    });
    buttons.push(b);
    return b;
  }

  var items = Array.prototype.slice.call(list.querySelectorAll("li[data-status]"));
  if (items.length < 2) return; // one status: nothing to filter
  items.forEach(function (li) {
    var status = li.getAttribute("data-status");
    var label = li.querySelector(".status").textContent;
    li.appendChild(button(status, li, label));
  });
  var all = document.createElement("li");
  var allText = document.createElement("span");
  allText.textContent = "Show all";
  all.appendChild(button("", allText, "all"));
  list.appendChild(all);
  list.setAttribute("aria-label", "Show policies by review status");
  buttons[buttons.length - 1].setAttribute("aria-pressed", "true");
})();
