// The delegated-items picker of the authorisation form (enforcement/authority/authorisation_form.html):
// filter the list, select or clear the filtered rows, count the selection.
(function () {
  var box = document.querySelector('[data-testid="item-picker"]');
  if (!box) { return; }
  var search = box.querySelector('[data-item-search]');
  var rows = Array.prototype.slice.call(box.querySelectorAll('[data-item-row]'));
  var count = box.querySelector('[data-item-count]');
  function recount() { count.textContent = box.querySelectorAll('input[type=checkbox]:checked').length; }
  function visible() { return rows.filter(function (r) { return !r.hidden; }); }
  search.addEventListener('input', function () {
    var q = search.value.trim();
    rows.forEach(function (r) { r.hidden = q && r.textContent.indexOf(q) === -1; });
  });
  box.querySelector('[data-item-all]').addEventListener('click', function () { visible().forEach(function (r) { r.querySelector('input').checked = true; }); recount(); });
  box.querySelector('[data-item-none]').addEventListener('click', function () { visible().forEach(function (r) { r.querySelector('input').checked = false; }); recount(); });
  box.addEventListener('change', recount);
  recount();
})();
