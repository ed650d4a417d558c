// An organisation's point on a small map whose pin can be dragged (templates/directory/organisation_form.html).
// Without JavaScript the latitude and longitude are typed; with it, dragging the pin fills them and ticks
// « Je place le point moi-même », and typing them moves the pin.
(function () {
  "use strict";
  var box = document.getElementById("pin-map");
  if (!box || !window.L) { return; }
  var latitude = document.getElementById("latitude"), longitude = document.getElementById("longitude");
  var manual = document.getElementById("manual_position");
  var start = [parseFloat(latitude.value) || parseFloat(box.dataset.lat), parseFloat(longitude.value) || parseFloat(box.dataset.lon)];
  box.hidden = false;
  var map = L.map(box, {scrollWheelZoom: false}).setView(start, 15);
  if (box.dataset.tiles) {
    L.tileLayer(box.dataset.tiles, {maxZoom: 19, attribution: "© OpenStreetMap"}).addTo(map);
  }
  var pin = L.marker(start, {draggable: true, keyboard: true, title: box.dataset.label, alt: box.dataset.label}).addTo(map);
  pin.on("dragend", function () {
    var at = pin.getLatLng();
    latitude.value = at.lat.toFixed(6);
    longitude.value = at.lng.toFixed(6);
    manual.checked = true;
  });
  function typed() {
    var at = [parseFloat(latitude.value), parseFloat(longitude.value)];
    if (!isNaN(at[0]) && !isNaN(at[1])) { pin.setLatLng(at); map.panTo(at); }
  }
  manual.addEventListener("change", function () {  // ticked: the pin's point, to keep or to change
    if (manual.checked && (!latitude.value || !longitude.value)) {
      var at = pin.getLatLng();
      latitude.value = at.lat.toFixed(6);
      longitude.value = at.lng.toFixed(6);
    }
  });
  latitude.addEventListener("change", typed);
  longitude.addEventListener("change", typed);
})();
