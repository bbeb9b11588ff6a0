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

// A long list of checkboxes (core.forms.ChoiceList) gets a filter field:
// typing hides the choices that do not match; ticked ones stay in view.
(function () {
  "use strict";

  var fold = function (text) { return (text || "").toLocaleLowerCase().replace(/\s+/g, " ").trim(); };

  var refresh = function (list) {
    var input = list.querySelector("[data-choice-filter]");
    var query = fold(input && input.value);
    var choices = list.querySelectorAll(".choice");
    var shown = 0, checked = 0;
    for (var i = 0; i < choices.length; i++) {
      var box = choices[i].querySelector("input");
      var on = box && box.checked;
      if (on) checked++;
      var match = !query || on || fold(choices[i].textContent).indexOf(query) !== -1;
      choices[i].hidden = !match;
      if (match) shown++;
    }
    var none = list.querySelector("[data-choice-none]");
    if (none) none.hidden = shown > 0;
    var count = list.querySelector("[data-choice-count]");
    if (count) {
      count.textContent = count.getAttribute("data-template")
        .replace("%(checked)s", checked).replace("%(all)s", choices.length);
    }
  };

  var start = function () {
    var lists = document.querySelectorAll("[data-choice-list]");
    for (var i = 0; i < lists.length; i++) {
      var filter = lists[i].querySelector(".choice-filter");
      if (filter) filter.hidden = false;
      refresh(lists[i]);
    }
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();

  document.addEventListener("input", function (event) {
    var target = event.target;
    var list = target.closest && target.closest("[data-choice-list]");
    if (list && target.matches("[data-choice-filter]")) refresh(list);
  });
  document.addEventListener("change", function (event) {
    var list = event.target.closest && event.target.closest("[data-choice-list]");
    if (list) refresh(list);
  });
  // Enter in the filter narrows the list; it does not send the form.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && event.target.matches && event.target.matches("[data-choice-filter]")) {
      event.preventDefault();
    }
  });
})();

// The summary of a form's errors: following a link puts the cursor in the
// field (not only scrolls to it), with its label in view; a page that opens
// with errors moves the focus to the summary, so it is read first.
(function () {
  "use strict";

  var fieldOf = function (target) {
    if (target.matches("input, select, textarea")) return target;
    return target.querySelector("input:not([type=hidden]), select, textarea");
  };

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-error-summary] a[href^='#']");
    if (!link) return;
    var target = document.getElementById(decodeURIComponent(link.getAttribute("href").slice(1)));
    if (!target) return;
    var control = fieldOf(target);
    if (!control) return;
    event.preventDefault();
    var where = target.closest(".field") || target;
    where.scrollIntoView({ block: "start" });
    control.focus({ preventScroll: true });
    if (window.history && window.history.replaceState) window.history.replaceState(null, "", link.getAttribute("href"));
  });

  var focusSummary = function () {
    var summary = document.querySelector("[data-error-summary]");
    if (summary && !window.location.hash) summary.focus();
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", focusSummary);
  else focusSummary();
})();
