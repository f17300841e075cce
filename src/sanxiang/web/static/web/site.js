/* Small behaviours of every page, here rather than in inline handlers (onchange=, onclick=,
   javascript: links), which the Content-Security-Policy forbids. */
(function () {
  "use strict";
  // The stylesheet folds the side navigation behind the "菜单" button only when this script runs.
  document.documentElement.classList.add("js");

  // Tables become cards on a phone: each cell is labelled with its column's header.
  function tablesLabel(root) {
    root.querySelectorAll("table").forEach(function (table) {
      var heads = table.querySelectorAll(":scope > thead > tr:last-child > th");
      if (!heads.length) return;
      var labels = Array.prototype.map.call(heads, function (th) { return th.textContent.trim(); });
      table.querySelectorAll(":scope > tbody > tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label")) cell.setAttribute("data-label", labels[column] || "");
          column += cell.colSpan || 1;
        });
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { tablesLabel(document); });
  } else {
    tablesLabel(document);
  }
  // <select data-autosubmit>: submit its form when the choice changes (a filter that needs no button).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) target.form.submit();
  });
  // <form data-confirm="…">: ask before what cannot be undone; nothing is sent unless confirmed.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    // The button pressed may ask its own question (a form with a harmless and an irreversible button).
    var submitter = event.submitter;
    var question = (submitter && submitter.getAttribute && submitter.getAttribute("data-confirm")) ||
      (form.getAttribute && form.getAttribute("data-confirm"));
    if (question && !window.confirm(question)) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
    // <button data-menu-toggle>: open or close the side navigation (narrow screens).
    var toggle = event.target.closest("[data-menu-toggle]");
    if (toggle) {
      var nav = document.getElementById(toggle.getAttribute("aria-controls"));
      if (nav) toggle.setAttribute("aria-expanded", String(nav.classList.toggle("open")));
      return;
    }
    // <button data-print>: print the page (the certificate card).
    if (event.target.closest("[data-print]")) {
      event.preventDefault();
      window.print();
      return;
    }
    // <a data-back href="…">: go back where the user came from; the link's own address otherwise.
    var back = event.target.closest("a[data-back]");
    if (back && window.history.length > 1 && document.referrer) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
