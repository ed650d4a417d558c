// An organisation's point on a small map whose pin can be dragged (templates/directory/organisation_form.html).
// Without JavaScript the latitude and longitude are typed. With it, the pin goes where saving would put the
// address as soon as it is typed (what is seen is what is saved); dragging it, or typing coordinates, places it
// by hand and ticks « Je place le point moi-même ».
(function () {
  "use strict";
  var box = document.getElementById("pin-map");
  if (!box || !window.L) { return; }
  var byId = function (id) { return document.getElementById(id); };
  var latitude = byId("latitude"), longitude = byId("longitude"), manual = byId("manual_position");
  var said = byId("pin-said"), warning = byId("pin-warning");
  var number = function (field) { return parseFloat((field.value || "").replace(",", ".")); };
  var start = [number(latitude) || parseFloat(box.dataset.lat), number(longitude) || parseFloat(box.dataset.lon)];
  box.hidden = false;
  var map = L.map(box, {scrollWheelZoom: false}).setView(start, 15);
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: "© OpenStreetMap"}).addTo(map);
  }
  var pin = L.marker(start, {draggable: true, keyboard: true, title: box.dataset.label, alt: box.dataset.label}).addTo(map);

  function say(text, warn) {
    said.textContent = text || "";
    said.hidden = !text;
    warning.textContent = warn || "";
    warning.hidden = !warn;
  }
  function byHand() {
    var at = pin.getLatLng();
    latitude.value = at.lat.toFixed(6);
    longitude.value = at.lng.toFixed(6);
    manual.checked = true;
    say(box.dataset.manualSaid);
  }
  var asked = 0;
  function fromAddress() {  // the point the address gives, asked of the server as saving would
    var code = byId("postal_code").value.trim();
    if (manual.checked || !code) { return; }
    var query = new URLSearchParams({adresse: byId("address").value, code_postal: code, territoire: byId("territory").value});
    var mine = ++asked;
    fetch(box.dataset.point + "?" + query, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { return response.json(); })
      .then(function (found) {
        if (mine !== asked || manual.checked) { return; }  // a later address, or placed by hand meanwhile
        if (found.error) { say("", found.error); return; }
        pin.setLatLng([found.latitude, found.longitude]);
        map.setView([found.latitude, found.longitude], 15);
        say(found.said, found.warning);
      })
      .catch(function () { /* offline: the point is found on saving */ });
  }
  function typed() {
    var at = [number(latitude), number(longitude)];
    if (!isNaN(at[0]) && !isNaN(at[1])) { pin.setLatLng(at); map.panTo(at); manual.checked = true; say(box.dataset.manualSaid); }
  }
  pin.on("dragend", byHand);
  manual.addEventListener("change", function () {  // ticked: the pin's point, to keep or to change
    if (manual.checked) {
      if (!latitude.value || !longitude.value) { byHand(); } else { say(box.dataset.manualSaid); }
    } else {
      latitude.value = "";
      longitude.value = "";
      say("");
      fromAddress();
    }
  });
  ["address", "postal_code", "territory"].forEach(function (id) { byId(id).addEventListener("change", fromAddress); });
  latitude.addEventListener("change", typed);
  longitude.addEventListener("change", typed);
  if (manual.checked) { say(box.dataset.manualSaid); } else { say(said.textContent.trim()); }
})();
