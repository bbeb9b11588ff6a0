// Shows an amount back in words under its input as it is typed: "300万" reads
// "= 300万元" (Chinese) or "= ¥3,000,000" (English). The same reading as the
// server's (core/amounts.py), which is the one that counts; exact, in fen.
(function () {
  "use strict";
  if (window.ipfinAmount) return;
  var PATTERN = /^(-)?¥?\s*((?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?|\.[0-9]+)\s*(万亿元|万亿|万元|亿元|万|亿|元)?$/;
  var SHIFT = { "": 2, "元": 2, "万": 6, "万元": 6, "亿": 10, "亿元": 10, "万亿": 14, "万亿元": 14 };
  var MAX_FEN = BigInt("100000000000000"); // 1万亿 yuan

  // Fen as a BigInt, or null when the text is not an amount the portal takes.
  function fen(text) {
    var match = PATTERN.exec(text.normalize("NFKC").trim().replace(/。/g, ".").replace(/−/g, "-"));
    if (!match) return null;
    var parts = match[2].replace(/,/g, "").split(".");
    var shift = SHIFT[match[3] || ""];
    var fraction = (parts[1] || "").replace(/0+$/, "");
    if (fraction.length > shift) return null;
    var value = BigInt((parts[0] || "0") + fraction.padEnd(shift, "0"));
    if ((match[1] && value > 0n) || value > MAX_FEN) return null;
    return value;
  }

  // value / 10^places as "3,000" or "1.5".
  function decimal(value, places) {
    var digits = value.toString().padStart(places + 1, "0");
    var whole = digits.slice(0, digits.length - places).replace(/\B(?=([0-9]{3})+$)/g, ",");
    var fraction = digits.slice(digits.length - places).replace(/0+$/, "");
    return fraction ? whole + "." + fraction : whole;
  }

  function words(value) {
    if (!/^zh/i.test(document.documentElement.lang)) return "¥" + decimal(value, 2);
    if (value >= 10000000000n && value % 1000000n === 0n) return decimal(value, 10) + "亿元";
    if (value >= 1000000n && value % 10000n === 0n) return decimal(value, 6) + "万元";
    return decimal(value, 2) + "元";
  }

  function show(input) {
    var box = input.closest(".amount-input");
    var output = box && box.querySelector(".amount-words");
    if (!output) return;
    var text = input.value.trim();
    var value = text ? fen(text) : null;
    output.textContent = !text ? "" : value === null ? input.getAttribute("data-invalid") : "= " + words(value);
  }

  document.addEventListener("input", function (event) {
    if (event.target.matches && event.target.matches("input[data-amount]")) show(event.target);
  });
  window.ipfinAmount = { fen: fen, words: words };
})();
