(function () {
  'use strict';
  var body = document.body;
  var boxes = document.querySelectorAll('input[data-filter]');
  function apply() {
    boxes.forEach(function (b) { body.classList.toggle('hide-' + b.getAttribute('data-filter'), !b.checked); });
    var any = false;
    document.querySelectorAll('section.group').forEach(function (s) {
      var visible = Array.prototype.some.call(s.querySelectorAll('details.cap'), function (c) { return getComputedStyle(c).display !== 'none'; });
      s.classList.toggle('empty', !visible);
      any = any || visible;
    });
    document.getElementById('empty').hidden = any;
  }
  boxes.forEach(function (b) { b.addEventListener('change', apply); });
  document.getElementById('expand-failures').addEventListener('click', function () {
    document.querySelectorAll('details.cap[data-result="fail"]').forEach(function (d) { d.open = true; });
  });
  // failures are what a reviewer came for: open them
  document.querySelectorAll('details.cap[data-result="fail"]').forEach(function (d) { d.open = true; });
  apply();
})();
