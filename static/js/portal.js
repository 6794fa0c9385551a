// Site-wide behaviour, loaded on every page after Bootstrap and htmx.
(function () {
  // django-filter renders plain <select>s; give the filter bars Bootstrap's look, on load
  // and after every htmx swap.
  function styleFilterBars(root) {
    root.querySelectorAll('.filter-bar select').forEach(function (el) {
      el.classList.add('form-select', 'form-select-sm');
    });
    // and its bare number and text inputs (a year filter), which looked unstyled
    root.querySelectorAll(
      '.filter-bar input[type=number], .filter-bar input[type=text], .filter-bar input[type=search]'
    ).forEach(function (el) {
      el.classList.add('form-control', 'form-control-sm');
    });
  }
  // A table marked .table-responsive-stack becomes a list of cards on a phone (portal.css):
  // each cell then shows its column's heading. Cells the template did not label take it
  // from the table head here, so no stacked table shows bare values.
  function labelStackedCells(root) {
    root.querySelectorAll('table.table-responsive-stack').forEach(function (table) {
      var heads = Array.prototype.map.call(table.querySelectorAll('thead th'), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll('tbody tr').forEach(function (row) {
        Array.prototype.forEach.call(row.children, function (cell, index) {
          if (!cell.hasAttribute('data-label') && heads[index] && !cell.hasAttribute('colspan')) {
            cell.setAttribute('data-label', heads[index]);
          }
        });
      });
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    styleFilterBars(document);
    labelStackedCells(document);
  });
  document.body.addEventListener('htmx:afterSwap', function (event) {
    styleFilterBars(event.target);
    labelStackedCells(event.target);
  });
  // A list row whose main link is marked .row-link opens on a tap anywhere in the row, not
  // only on the small link (the link itself stays the keyboard's way in). Delegated from
  // the document, so rows swapped in by htmx work too; taps on the row's own controls,
  // and selecting text, are left alone; Ctrl/⌘/middle click open a new tab like a link.
  function rowLinkFor(event) {
    if (event.target.closest('a, button, input, select, textarea, label, summary')) { return null; }
    var row = event.target.closest('tr');
    var link = row && row.querySelector('a.row-link');
    if (!link || String(window.getSelection()).length) { return null; }
    return link;
  }
  document.addEventListener('click', function (event) {
    var link = rowLinkFor(event);
    if (!link) { return; }
    if (event.ctrlKey || event.metaKey || event.shiftKey) { window.open(link.href, '_blank'); return; }
    link.click();
  });
  document.addEventListener('auxclick', function (event) {
    var link = event.button === 1 && rowLinkFor(event);
    if (link) { window.open(link.href, '_blank'); }
  });
  // workflow steps that need a confirmation (data-confirm on the form) ask before posting
  document.addEventListener('submit', function (event) {
    var text = event.target.dataset && event.target.dataset.confirm;
    if (text && !window.confirm(text)) { event.preventDefault(); }
  });
})();
// --- Content Security Policy (ADR 0045): behaviour that used to be inline in templates ---
(function () {
  // a <select data-autosubmit> sends its form when changed (year pickers)
  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el.matches && el.matches('select[data-autosubmit]') && el.form) {
      if (el.form.requestSubmit) { el.form.requestSubmit(); } else { el.form.submit(); }
    }
  });
  // a progress bar's width from data-bar-percent (a style attribute would be refused);
  // on load and on every piece of content htmx swaps in
  function sizeBars(root) {
    if (!root || !root.querySelectorAll) { return; }
    var bars = Array.prototype.slice.call(root.querySelectorAll('[data-bar-percent]'));
    if (root.matches && root.matches('[data-bar-percent]')) { bars.push(root); }
    bars.forEach(function (bar) {
      var percent = Math.max(0, Math.min(100, parseFloat(bar.getAttribute('data-bar-percent')) || 0));
      bar.style.width = percent + '%';
    });
  }
  document.addEventListener('DOMContentLoaded', function () { sizeBars(document); });
  document.addEventListener('htmx:load', function (event) { sizeBars(event.detail && event.detail.elt); });
})();
