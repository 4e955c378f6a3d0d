/* Scanning check-in codes on any phone: progressive enhancement, no build step.
   The decoder is the browser's BarcodeDetector where it exists (Chrome on Android) and
   jsQR (vendor/jsQR.js, from npm) everywhere else: Chromium on Linux, iOS Safari, desktop
   Chrome on Windows. The camera button shows only where the browser has a camera API;
   "scan a photo" (a file input that opens the camera on phones) works everywhere. A code
   found fills the form and submits it; without JavaScript the form takes typed text. */
(function () {
  "use strict";
  var script = document.currentScript;
  var msg = script ? script.dataset : {};

  // The person's code is a URL …/checkin/c/XY1.<signed>/; older codes are the bare text.
  function payloadOf(text) {
    var match = /\/checkin\/c\/(XY1\.[^\/?#\s]+)/.exec(text || "");
    if (match) { return match[1]; }
    return text && text.indexOf("XY1.") === 0 ? text : null;
  }

  var detector = null;
  if ("BarcodeDetector" in window) {
    try { detector = new window.BarcodeDetector({ formats: ["qr_code"] }); } catch (e) { detector = null; }
  }
  var canvas = document.createElement("canvas");
  var context = canvas.getContext("2d", { willReadFrequently: true });

  // What a frame or picture says, as a promise of the text (or null).
  function decode(source, width, height) {
    if (detector) {
      return detector.detect(source).then(function (codes) {
        var hit = codes.find(function (c) { return payloadOf(c.rawValue); });
        return hit ? hit.rawValue : decodeWithJsQR(source, width, height);
      }).catch(function () { return decodeWithJsQR(source, width, height); });
    }
    return Promise.resolve(decodeWithJsQR(source, width, height));
  }
  function decodeWithJsQR(source, width, height) {
    if (typeof window.jsQR !== "function" || !width || !height) { return null; }
    // Big photos are scaled down: faster, and jsQR reads a code of a few hundred pixels best.
    var scale = Math.min(1, 1024 / Math.max(width, height));
    canvas.width = Math.round(width * scale);
    canvas.height = Math.round(height * scale);
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var code = window.jsQR(image.data, image.width, image.height, { inversionAttempts: "attemptBoth" });
    return code ? code.data : null;
  }

  function setup(form) {
    if (form.dataset.ready) { return; }
    form.dataset.ready = "1";
    var start = form.querySelector("[data-camera-start]");
    var stopButton = form.querySelector("[data-camera-stop]");
    var box = form.querySelector("[data-camera]");
    var video = box.querySelector("video");
    var status = form.querySelector("[data-camera-status]");
    var input = form.querySelector("input[name=payload]");
    var photo = form.querySelector("[data-photo]");
    var photoInput = form.querySelector("[data-photo-input]");
    var stream = null;
    var decoding = detector || typeof window.jsQR === "function";
    if (!decoding) { return; }

    function found(text) {
      var payload = payloadOf(text);
      if (!payload) { return false; }
      stop();
      status.textContent = msg.msgFound || "";
      input.value = payload;
      form.submit();
      return true;
    }
    function stop() {
      if (stream) { stream.getTracks().forEach(function (t) { t.stop(); }); }
      stream = null;
      box.hidden = true;
      stopButton.hidden = true;
      start.hidden = false;
    }

    photo.hidden = false;
    photoInput.addEventListener("change", function () {
      var file = photoInput.files && photoInput.files[0];
      if (!file) { return; }
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () {
        decode(img, img.naturalWidth, img.naturalHeight).then(function (text) {
          URL.revokeObjectURL(url);
          if (!found(text)) { status.textContent = msg.msgNocode || ""; }
        });
      };
      img.onerror = function () { URL.revokeObjectURL(url); status.textContent = msg.msgNocode || ""; };
      img.src = url;
      photoInput.value = "";
    });

    if (!navigator.mediaDevices || typeof navigator.mediaDevices.getUserMedia !== "function") {
      return;  // no camera API (an old browser, or a page not served over HTTPS)
    }
    start.hidden = false;
    stopButton.addEventListener("click", stop);
    start.addEventListener("click", function () {
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (s) {
          stream = s;
          box.hidden = false;
          start.hidden = true;
          stopButton.hidden = false;
          status.textContent = msg.msgLooking || "";
          video.srcObject = s;
          return video.play();
        })
        .then(function () {
          function tick() {
            if (!stream) { return; }
            if (video.readyState < 2) { window.setTimeout(tick, 150); return; }
            decode(video, video.videoWidth, video.videoHeight).then(function (text) {
              if (!found(text)) { window.setTimeout(tick, 200); }
            });
          }
          tick();
        })
        .catch(function () { stop(); status.textContent = msg.msgDenied || ""; });
    });
  }
  function init() { document.querySelectorAll("[data-checkin-scanner]").forEach(setup); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", init); } else { init(); }
})();
