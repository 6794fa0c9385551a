// The inspection logging page on a phone: one card per finding ("添加一个问题" adds one from
// the <template>), and a draft kept on the device (localStorage, keyed by user and form) so
// a dropped signal loses nothing: restored on return with a notice, cleared once the server
// has saved the record (its page carries data-draft-clear). Photos cannot be kept there.
(function () {
  function ready(fn) {
    if (document.readyState !== 'loading') { fn(); } else { document.addEventListener('DOMContentLoaded', fn); }
  }
  ready(function () {
    var clear = document.querySelector('[data-draft-clear]');
    if (clear) { try { localStorage.removeItem(clear.dataset.draftClear); } catch (e) { /* private mode */ } }
    var form = document.querySelector('form[data-draft-key]');
    if (!form) { return; }
    var key = form.dataset.draftKey;
    var cards = document.getElementById('finding-cards');
    var template = document.getElementById('finding-template');
    var next = 0;

    function addCard() {
      var html = template.innerHTML.replace(/__i__/g, String(next));
      var holder = document.createElement('div');
      holder.innerHTML = html;
      var card = holder.firstElementChild;
      card.querySelector('.finding-number').textContent = String(cards.children.length + 1);
      cards.appendChild(card);
      next += 1;
      return card;
    }

    function save() {
      var data = { cards: next, fields: {} };
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || el.type === 'file' || el.name === 'csrfmiddlewaretoken') { return; }
        if (el.type === 'radio' || el.type === 'checkbox') {
          if (el.checked) { (data.fields[el.name] = data.fields[el.name] || []).push(el.value); }
          else if (!(el.name in data.fields)) { data.fields[el.name] = []; }
        } else { data.fields[el.name] = el.value; }
      });
      try { localStorage.setItem(key, JSON.stringify(data)); } catch (e) { /* full or private */ }
    }

    function restore() {
      var raw;
      try { raw = localStorage.getItem(key); } catch (e) { return false; }
      if (!raw) { return false; }
      var data;
      try { data = JSON.parse(raw); } catch (e) { return false; }
      while (next < (data.cards || 0)) { addCard(); }
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !(el.name in data.fields) || el.type === 'file' || el.name === 'csrfmiddlewaretoken') { return; }
        var value = data.fields[el.name];
        if (el.type === 'radio' || el.type === 'checkbox') { el.checked = value.indexOf(el.value) >= 0; }
        else if (el.type !== 'hidden') { el.value = value; }
      });
      return true;
    }

    if (restore()) { document.getElementById('draft-notice').classList.remove('d-none'); }
    if (next === 0) { addCard(); }
    form.addEventListener('input', save);
    form.addEventListener('change', save);
    document.querySelector('[data-add-finding]').addEventListener('click', function () {
      addCard().querySelector('textarea').focus();
      save();
    });
    var discard = document.querySelector('[data-draft-discard]');
    if (discard) {
      discard.addEventListener('click', function () {
        try { localStorage.removeItem(key); } catch (e) { /* private mode */ }
        window.location.reload();
      });
    }
  });
})();
