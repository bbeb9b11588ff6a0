// The park list follows the province chosen: only that province's parks
// are offered (the server checks it as well).
(function () {
  "use strict";
  var province = document.getElementById("id_province");
  var park = document.getElementById("id_park");
  if (!province || !park) return;
  var fit = function () {
    Array.prototype.forEach.call(park.options, function (option) {
      var own = !option.value || option.getAttribute("data-province") === province.value;
      option.hidden = !own;
      option.disabled = !own;
      if (!own && option.selected) park.value = "";
    });
  };
  province.addEventListener("change", fit);
  fit();
})();
