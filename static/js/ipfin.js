// What every page does with script. Loaded right after the header's menu,
// without defer, so a phone never shows the menu open before it folds away;
// everything else listens on the document, so it also works for elements
// further down the page and for those htmx swaps in.
(function () {
  "use strict";

  // On a phone the menu starts closed; on a wider screen it is always open.
  var menu = document.querySelector("details.menu");
  if (menu) {
    var narrow = window.matchMedia("(max-width: 47.99rem)");
    var fit = function () { menu.open = !narrow.matches; };
    fit();
    narrow.addEventListener("change", fit);
  }

  // The language switch applies as soon as a language is picked (the
  // <noscript> button does it without script).
  document.addEventListener("change", function (event) {
    var select = event.target;
    if (select.matches && select.matches("select[data-submit-on-change]")) select.form.submit();
  });

  // A form with data-confirm asks before it is sent (deleting, for one).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) event.preventDefault();
  });
})();
