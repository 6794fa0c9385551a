// An Excel export link that follows its list's filter form: <a data-export-form="form-id"
// href="/export/?...">. The list's filters change through htmx without reloading the page,
// so the link's query is rebuilt from the form on every change (the page number excluded).
(function () {
  "use strict";
  function sync(link) {
    var form = document.getElementById(link.getAttribute("data-export-form"));
    if (!form) { return; }
    var query = new URLSearchParams(new FormData(form));
    query.delete("page");
    link.href = link.href.split("?")[0] + "?" + query.toString();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("a[data-export-form]").forEach(function (link) {
      var form = document.getElementById(link.getAttribute("data-export-form"));
      if (!form) { return; }
      form.addEventListener("change", function () { sync(link); });
      form.addEventListener("input", function () { sync(link); });
      sync(link);
    });
  });
})();
