// Study time on a lesson page (courses.services.lesson_heartbeat). While the page is
// visible it reports the seconds it was visible since its last report; when the page is
// hidden (another tab, the phone locked) it reports once more and stops until it is
// visible again. A blurred but visible window keeps counting. The server adds no more
// than the real time between reports and says when the lesson counts; only then is the
// "mark done" button enabled. The report also carries where the person is (video
// position, how far down the page) for "continue learning".
(function () {
  "use strict";
  var box = document.querySelector("[data-study-time]");
  if (!box || !window.fetch || !window.JSON) {
    return;
  }
  var url = box.getAttribute("data-beat-url");
  var every = (parseFloat(box.getAttribute("data-beat-seconds")) || 15) * 1000;
  var csrf = box.getAttribute("data-csrf");
  var button = document.querySelector("[data-complete]");
  var video = document.querySelector(".lesson .prose video");
  var visibleSince = null;
  var carry = 0; // fractions of a second not yet reported
  var timer = null;

  function position() {
    var where = {};
    if (video && !isNaN(video.currentTime)) {
      where.video_seconds = Math.floor(video.currentTime);
    }
    var room = document.documentElement.scrollHeight - window.innerHeight;
    if (room > 0) {
      where.scroll_percent = Math.max(0, Math.min(100, Math.round(100 * window.scrollY / room)));
    }
    return where;
  }

  function show(answer) {
    if (!answer || !button) {
      return;
    }
    if (answer.counts) {
      button.disabled = false;
      button.textContent = box.getAttribute("data-ready");
    } else {
      button.disabled = true;
      button.textContent = box.getAttribute("data-wait").replace("{n}", answer.remaining_minutes);
    }
  }

  function send(seconds, leaving) {
    var body = position();
    body.seconds = seconds;
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      keepalive: !!leaving,
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.ok ? response.json() : null;
    }).then(show, function () { /* offline: the time of this report is lost */ });
  }

  function visibleSeconds() {
    if (visibleSince === null) {
      return 0;
    }
    var now = Date.now();
    var total = carry + (now - visibleSince) / 1000;
    visibleSince = now;
    var whole = Math.floor(total);
    carry = total - whole;
    return whole;
  }

  function start() {
    if (timer !== null) {
      return;
    }
    visibleSince = Date.now();
    carry = 0;
    send(0, false);
    timer = window.setInterval(function () { send(visibleSeconds(), false); }, every);
  }

  function stop() {
    if (timer === null) {
      return;
    }
    window.clearInterval(timer);
    timer = null;
    send(visibleSeconds(), true);
    visibleSince = null;
  }

  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") {
      stop();
    } else {
      start();
    }
  });
  window.addEventListener("pagehide", stop);

  // "Continue learning" links end in #continue: go back to where the person stopped.
  if (window.location.hash === "#continue") {
    var videoAt = parseInt(box.getAttribute("data-video-at"), 10);
    var scroll = parseInt(box.getAttribute("data-scroll"), 10);
    if (video && videoAt > 0) {
      var seek = function () { video.currentTime = videoAt; };
      if (video.readyState >= 1) {
        seek();
      } else {
        video.addEventListener("loadedmetadata", seek, {once: true});
      }
    }
    if (scroll > 0) {
      window.addEventListener("load", function () {
        var room = document.documentElement.scrollHeight - window.innerHeight;
        window.scrollTo(0, Math.round(room * scroll / 100));
      });
    }
  }

  if (document.visibilityState !== "hidden") {
    start();
  }
})();
