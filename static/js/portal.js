// Site-wide behaviour, loaded on every page after Bootstrap and htmx.
(function () {
  // django-filter renders plain <select>s; give the filter bars Bootstrap's look, on load
  // and after every htmx swap.
  function styleFilterBars(root) {
    root.querySelectorAll('.filter-bar select').forEach(function (el) {
      el.classList.add('form-select', 'form-select-sm');
    });
  }
  document.addEventListener('DOMContentLoaded', function () { styleFilterBars(document); });
  document.body.addEventListener('htmx:afterSwap', function (event) { styleFilterBars(event.target); });
  // workflow steps that need a confirmation (data-confirm on the form) ask before posting
  document.addEventListener('submit', function (event) {
    var text = event.target.dataset && event.target.dataset.confirm;
    if (text && !window.confirm(text)) { event.preventDefault(); }
  });
})();
