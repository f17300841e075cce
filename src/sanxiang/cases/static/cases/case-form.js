/* The registration form: a filter box narrowing the list of officers, and the new party's fields
   shown only when "新增当事人" is chosen. Without JavaScript the form works as it is: the whole
   list of officers, and both ways of naming the party (the choice of the radio decides). */
(function () {
  "use strict";
  function ready(fn) {
    if (document.readyState !== "loading") fn();
    else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var filter = document.querySelector("[data-officer-filter]");
    if (filter) {
      var input = filter.querySelector("input");
      var count = filter.querySelector("[data-officer-filter-count]");
      var options = Array.prototype.slice.call(document.querySelectorAll("[data-officer-option]"));
      filter.hidden = false;
      var apply = function () {
        var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
        var shown = 0;
        options.forEach(function (label) {
          var text = label.textContent.toLowerCase();
          // A chosen officer stays in sight, whatever the filter.
          var keep = label.querySelector("input").checked || words.every(function (w) { return text.indexOf(w) >= 0; });
          (label.parentElement.tagName === "DIV" ? label.parentElement : label).hidden = !keep;
          if (keep) shown += 1;
        });
        count.textContent = words.length ? "显示 " + shown + " / " + options.length + " 人" : "";
      };
      input.addEventListener("input", apply);
      // Enter in the filter box narrows the list; it does not submit the registration.
      input.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
    }
    var radios = document.querySelectorAll("input[name=party_mode]");
    if (radios.length) {
      var sections = document.querySelectorAll("[data-party-mode]");
      var show = function () {
        var mode = (document.querySelector("input[name=party_mode]:checked") || {}).value || "existing";
        sections.forEach(function (section) { section.hidden = section.getAttribute("data-party-mode") !== mode; });
      };
      radios.forEach(function (radio) { radio.addEventListener("change", show); });
      show();
    }
  });
})();
