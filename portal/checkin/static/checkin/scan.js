/* Camera scanning for check-in codes: progressive enhancement, no build step.
   Where the browser has BarcodeDetector (Chrome/Edge on Android, Safari 17+ with the flag),
   a "Scan with camera" button appears; a detected QR code fills the form and submits it.
   Everywhere else the form works as typed or pasted text. */
(function () {
  "use strict";
  var script = document.currentScript;
  var msgLooking = script ? script.dataset.msgLooking : "";
  var msgDenied = script ? script.dataset.msgDenied : "";

  function setup(form) {
    if (form.dataset.ready) { return; }
    form.dataset.ready = "1";
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices) { return; }
    var start = form.querySelector("[data-camera-start]");
    var box = form.querySelector("[data-camera]");
    var video = box.querySelector("video");
    var status = form.querySelector("[data-camera-status]");
    var input = form.querySelector("input[name=payload]");
    start.hidden = false;
    start.addEventListener("click", function () {
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (stream) {
          box.hidden = false;
          start.hidden = true;
          status.textContent = msgLooking;
          video.srcObject = stream;
          return video.play().then(function () { return stream; });
        })
        .then(function (stream) {
          function stop() { stream.getTracks().forEach(function (t) { t.stop(); }); }
          function tick() {
            detector.detect(video).then(function (codes) {
              var hit = codes.find(function (c) { return c.rawValue && c.rawValue.indexOf("XY1.") === 0; });
              if (hit) {
                stop();
                input.value = hit.rawValue;
                form.submit();
              } else {
                window.requestAnimationFrame(tick);
              }
            }).catch(function () { window.setTimeout(tick, 300); });
          }
          tick();
        })
        .catch(function () { status.textContent = msgDenied; box.hidden = false; });
    });
  }
  function init() { document.querySelectorAll("[data-checkin-scanner]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
