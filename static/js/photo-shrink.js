// Large phone photos are shrunk in the browser before they are sent: a 4000 px, 8 MB
// picture becomes a JPEG of at most 2560 px (about 1 MB), which is quicker on a phone
// network. What the browser cannot decode (HEIC) or what is small already is sent as it
// is; the server converts and shrinks too (safetyportal/core/uploads.py), so this is only
// a saving, never a condition. No library: a canvas does the work. An input may ask for a
// smaller edge (data-max-edge="1600", the inspection cards): every photo is then redrawn.
(function () {
  var MAX_EDGE = 2560;
  var MIN_BYTES = 1.5 * 1024 * 1024;
  var SHRINKABLE = ['image/jpeg', 'image/png', 'image/webp'];

  function shrink(file, maxEdge) {
    var edge = maxEdge || MAX_EDGE;
    if (SHRINKABLE.indexOf(file.type) < 0 || (!maxEdge && file.size < MIN_BYTES) || !window.createImageBitmap) {
      return Promise.resolve(file);
    }
    return createImageBitmap(file, { imageOrientation: 'from-image' }).then(function (bitmap) {
      var scale = Math.min(1, edge / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement('canvas');
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size) { resolve(file); return; }
          var name = file.name.replace(/\.[^.]*$/, '') + '.jpg';
          resolve(new File([blob], name, { type: 'image/jpeg', lastModified: file.lastModified }));
        }, 'image/jpeg', 0.85);
      });
    }).catch(function () { return file; });
  }

  document.addEventListener('change', function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file' || !input.files.length) { return; }
    if (input.dataset.shrinking === 'done-' + input.files.length + '-' + input.files[0].name) { return; }
    var form = input.form;
    var buttons = form ? form.querySelectorAll('button[type=submit]') : [];
    buttons.forEach(function (b) { b.disabled = true; });
    input.dataset.shrinking = 'busy';
    var maxEdge = parseInt(input.dataset.maxEdge, 10) || 0;
    Promise.all(Array.prototype.map.call(input.files, function (f) { return shrink(f, maxEdge); })).then(function (files) {
      if (window.DataTransfer) {
        var list = new DataTransfer();
        files.forEach(function (f) { list.items.add(f); });
        input.files = list.files;
      }
      input.dataset.shrinking = 'done-' + input.files.length + '-' + (input.files[0] || {}).name;
    }).finally(function () {
      buttons.forEach(function (b) { b.disabled = false; });
    });
  });
})();
