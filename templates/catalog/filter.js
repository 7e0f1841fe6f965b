// The catalog's filter: shows the briefs whose title, code, authors or key points hold
// every word typed (accents and case ignored, as the build folds data-search). Without
// this script the page is the whole list, and the box stays hidden.
(function () {
  'use strict';
  var box = document.getElementById('filter');
  var input = document.getElementById('filter-input');
  var count = document.getElementById('filter-count');
  var none = document.getElementById('no-match');
  var items = Array.prototype.slice.call(document.querySelectorAll('#briefs > li'));
  var texts = items.map(function (item) { return item.getAttribute('data-search') || ''; });
  function fold(text) {
    return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
  }
  function apply() {
    var words = fold(input.value).split(' ').filter(Boolean);
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var match = words.every(function (word) { return texts[i].indexOf(word) !== -1; });
      items[i].hidden = !match;
      if (match) shown++;
    }
    none.hidden = shown !== 0;
    count.textContent = words.length === 0 ? '' : shown + ' of ' + items.length + ' briefs shown';
  }
  var pending = 0;
  input.addEventListener('input', function () {
    // One pass per frame however fast the typing: hundreds of briefs stay smooth.
    if (!pending) pending = requestAnimationFrame(function () { pending = 0; apply(); });
  });
  box.hidden = false;
  if (input.value) apply();
})();
