{% load static %}/* The check-in code page's service worker (scope /me/qr/): the page and its assets are
   kept on the phone, so the code still shows where there is no signal. The network is
   asked first; the kept copy answers when it fails. */
"use strict";
var CACHE = "xy-checkin-v1";
var PAGE = "{% url 'checkin:my_qr' %}";
var ASSETS = ["{% static 'css/portal.css' %}", "{% static 'checkin/qr.js' %}"];

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(ASSETS.concat([PAGE]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (n) { return n !== CACHE; })
      .map(function (n) { return caches.delete(n); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") { return; }
  var url = new URL(request.url);
  var isPage = url.pathname === PAGE;
  if (!isPage && ASSETS.indexOf(url.pathname) < 0) { return; }
  event.respondWith(fetch(request).then(function (response) {
    // Keep the latest good copy; a redirect (signed out) is not kept.
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(isPage ? PAGE : request, copy); });
    }
    return response;
  }).catch(function () {
    return caches.match(isPage ? PAGE : request);
  }));
});
