// The pledge capacity of the ticked assets, as the bank will compute it.
(function () {
  "use strict";
  var list = document.querySelector(".assets"), out = document.getElementById("capacity");
  if (!list || !out) return;
  // As the yuan filter writes amounts: 982.8万元 in Chinese, ¥9,828,000 in English.
  var chinese = document.documentElement.lang.indexOf("zh") === 0;
  var trim = new Intl.NumberFormat("en", {maximumFractionDigits: 2, useGrouping: false});
  var group = new Intl.NumberFormat("en", {maximumFractionDigits: 2});
  function yuan(amount) {
    if (!chinese) return "¥" + group.format(amount);
    if (amount >= 1e8) return trim.format(amount / 1e8) + "亿元";
    if (amount >= 1e4) return trim.format(amount / 1e4) + "万元";
    return trim.format(amount) + "元";
  }
  function update() {
    var total = 0;
    list.querySelectorAll("input:checked").forEach(function (box) { total += parseFloat(box.dataset.capacity); });
    out.textContent = yuan(total);
  }
  list.addEventListener("change", update);
  update();
})();
