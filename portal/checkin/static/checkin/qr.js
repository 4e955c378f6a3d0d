/* The person's check-in code page (/me/qr/): fetches a fresh signed code before the shown
   one expires, without reloading the page; keeps the last code for a site without signal
   (with the service worker, checkin/sw.js, that keeps the page itself) and says so. */
(function () {
  "use strict";
  var card = document.querySelector("[data-qr-card]");
  if (!card) { return; }
  var holder = card.querySelector("[data-qr-svg]");
  var status = document.querySelector("[data-qr-status]");
  var KEY = "xy-checkin-code";
  var current = { svg: null, valid_until: card.dataset.validUntil };
  var timer = null;

  function hm(iso) { return (iso || "").slice(11, 16); }  // ISO 8601 in the portal's zone
  function expired() { return Date.parse(current.valid_until) <= Date.now(); }
  function say(online) {
    var msg = online ? card.dataset.msgValid
      : (expired() ? card.dataset.msgExpired : card.dataset.msgOffline);
    status.textContent = msg.replace("{time}", hm(current.valid_until));
    card.classList.toggle("qr-offline", !online);
    card.classList.toggle("qr-expired", !online && expired());
  }
  function show(code) {
    current = code;
    holder.innerHTML = code.svg;  // the portal's own SVG (segno), no user text
  }
  function store(code) {
    try { window.localStorage.setItem(KEY, JSON.stringify(code)); } catch (e) { /* full or off */ }
  }
  function stored() {
    try { return JSON.parse(window.localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function schedule(seconds) {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, Math.max(seconds, 5) * 1000);
  }
  function refresh() {
    fetch(card.dataset.codeUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (code) {
        show(code);
        store(code);
        say(true);
        schedule(code.refresh_after);
      })
      .catch(function () { say(false); schedule(30); });
  }

  // A copy of the page kept offline may be older than the last code fetched: show the newer.
  var last = stored();
  if (last && last.svg && Date.parse(last.valid_until) > Date.parse(current.valid_until)) {
    show(last);
  } else {
    store({ svg: holder.innerHTML, valid_until: current.valid_until });
  }
  if (navigator.onLine === false) {
    say(false);
    schedule(30);
  } else {
    schedule(Number(card.dataset.refreshAfter) || 60);
  }
  window.addEventListener("online", refresh);
  window.addEventListener("offline", function () { say(false); });
  document.addEventListener("visibilitychange", function () {
    // Phones pause timers in the background: catch up when the page is seen again.
    if (!document.hidden && Date.parse(current.valid_until) - Date.now() < 90 * 1000) { refresh(); }
  });
  if ("serviceWorker" in navigator && card.dataset.swUrl) {
    navigator.serviceWorker.register(card.dataset.swUrl).catch(function () { /* no offline copy */ });
  }
})();
