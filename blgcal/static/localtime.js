// Progressive enhancement: show instants in the viewer's own time zone.
// Pages read fine without it (venue time and UTC are in the HTML).
(function () {
  var format = new Intl.DateTimeFormat(undefined, {
    weekday: "short", day: "numeric", month: "short", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  });
  document.querySelectorAll(".viewer-time").forEach(function (el) { el.hidden = false; });
  document.querySelectorAll(".viewer-time time[data-local]").forEach(function (el) {
    var moment = new Date(el.getAttribute("datetime"));
    if (!isNaN(moment)) { el.textContent = format.format(moment); }
  });
})();
