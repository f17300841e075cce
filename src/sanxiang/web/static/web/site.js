/* Small behaviours of every page, here rather than in inline handlers (onchange=, onclick=,
   javascript: links), which the Content-Security-Policy forbids. */
(function () {
  "use strict";
  // <select data-autosubmit>: submit its form when the choice changes (the language switch).
  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches && target.matches("select[data-autosubmit]") && target.form) target.form.submit();
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest) return;
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
