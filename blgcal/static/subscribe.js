// The feed builder, live: as filters change, ask the server for the count and the
// feed's links and show them. Without JavaScript the form's submit button does the same.
(function () {
  "use strict";
  var form = document.querySelector("form.feed-builder");
  var target = document.getElementById("built");
  if (!form || !target || !window.fetch || !window.URLSearchParams) { return; }
  var timer = null;
  var asked = 0;

  function query() {
    var params = new URLSearchParams();
    new FormData(form).forEach(function (value, name) {
      if (String(value).trim()) { params.append(name, value); }
    });
    return params.toString();
  }

  function show(data) {
    var count = target.querySelector("[data-feed-count]");
    if (!count) { return form.submit(); }  // first time: let the server render the card
    count.textContent = String(data.count);
    target.querySelector("[data-feed-count-label]").textContent =
      data.count === 1 ? "event matches" : "events match";
    target.querySelector("[data-feed-url]").textContent = data.url;
    target.querySelector("[data-feed-webcal]").href = data.webcal;
    target.querySelector("[data-feed-google]").href = data.google;
    target.querySelector("[data-feed-outlook]").href = data.outlook;
    target.querySelector("[data-feed-outlook-work]").href = data.outlook_work;
    var qr = target.querySelector("img.qr");
    if (qr) { qr.src = qr.src.split("?")[0] + "?path=" + encodeURIComponent(data.path); }
  }

  function refresh() {
    var mine = ++asked;
    var q = query();
    if (!q) { return; }
    fetch(form.dataset.countUrl + "?" + q, {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json().then(function (body) { return [r.ok, body]; }); })
      .then(function (pair) {
        if (mine !== asked) { return; }
        if (pair[0]) { show(pair[1]); }
        else if (pair[1].error) { target.textContent = pair[1].error.field + ": " + pair[1].error.message; }
      })
      .catch(function () { /* the submit button still works */ });
  }

  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 250); });
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
})();
