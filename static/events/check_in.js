// Scanning in the page where the browser can read QR codes itself
// (BarcodeDetector); elsewhere the phone's own camera app opens the code's
// link, and typing the code always works.
(function () {
  "use strict";
  var button = document.getElementById("scan-button");
  var video = document.getElementById("scan-video");
  var form = document.getElementById("check-in-form");
  if (!button || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var input = form.querySelector("input[name=code]");
  button.hidden = false;
  button.addEventListener("click", function () {
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (stream) {
      video.srcObject = stream;
      video.hidden = false;
      video.play();
      var stop = function () { stream.getTracks().forEach(function (t) { t.stop(); }); video.hidden = true; };
      var look = function () {
        detector.detect(video).then(function (codes) {
          if (codes.length) {
            stop();
            input.value = codes[0].rawValue;
            form.submit();
          } else {
            window.requestAnimationFrame(look);
          }
        }).catch(function () { window.requestAnimationFrame(look); });
      };
      look();
    }).catch(function () { button.hidden = true; });
  });
})();
