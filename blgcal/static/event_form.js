// Progressive enhancement of the event form. Without JavaScript every field shows and the
// server fills an empty time zone from the city when the form is submitted.
// - Fields that do not apply to the chosen timing (dates, times, expected) are hidden.
// - The time zone is proposed from the city and country as they are typed.
(function () {
  "use strict";
  var form = document.querySelector("form.event-form");
  if (!form) { return; }

  function timing() {
    var checked = form.querySelector("input[name=timing]:checked");
    return checked ? checked.value : "all_day";
  }

  function showTiming() {
    var chosen = timing();
    form.querySelectorAll("[data-timing]").forEach(function (control) {
      var wrapper = control.closest(".field");
      if (wrapper) { wrapper.hidden = control.dataset.timing.split(" ").indexOf(chosen) < 0; }
    });
  }

  form.querySelectorAll("input[name=timing]").forEach(function (radio) {
    radio.addEventListener("change", showTiming);
  });
  showTiming();

  var zone = form.querySelector("input[name=timezone]");
  var city = form.querySelector("input[name=city]");
  var country = form.querySelector("select[name=country]");
  var url = form.dataset.zoneUrl;
  if (!zone || !city || !country || !url || !window.fetch) { return; }
  var note = document.createElement("small");
  note.className = "help";
  note.setAttribute("role", "status");
  zone.closest(".field").appendChild(note);
  var typed = false;  // a zone the person typed on this page is theirs: never replaced
  zone.addEventListener("input", function () { typed = true; note.textContent = ""; });

  function propose() {
    if (typed || !city.value.trim() || !country.value) { return; }
    var query = new URLSearchParams({city: city.value.trim(), country: country.value});
    fetch(url + "?" + query.toString(), {credentials: "same-origin"})
      .then(function (response) { return response.ok ? response.json() : {timezone: null}; })
      .then(function (data) {
        if (typed || !data.timezone) { return; }
        if (zone.value !== data.timezone) {
          zone.value = data.timezone;
          note.textContent = "Proposed from the city: " + data.timezone + ".";
        }
      })
      .catch(function () { /* no proposal: the person types the zone */ });
  }

  city.addEventListener("change", propose);
  country.addEventListener("change", propose);
})();
