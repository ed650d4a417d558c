// A territory's map document: its organisations, ties and referral flows, drawn into the layers folium made
// from the JSON data block written by referral/territories/network_layers.py. Names and labels are set as
// text (text nodes, textContent), never read as HTML; popups are built when first opened.
window.territoryNetwork = function (map, layers) {
  "use strict";
  var data = JSON.parse(document.getElementById("territory-network").textContent);
  var organisations = data.organisations;

  function text(value) {
    return function () { return document.createTextNode(value); };
  }

  function add(parent, tag, content) {
    var node = parent.appendChild(document.createElement(tag));
    if (content !== undefined) { node.textContent = content; }
    return node;
  }

  function list(parent, heading, items) {
    add(parent, "p", heading);
    var ul = add(parent, "ul");
    items.forEach(function (item) { add(ul, "li", item); });
  }

  function popup(organisation) {
    var node = document.createElement("div");
    add(node, "strong", organisation.name);
    add(node, "br");
    node.appendChild(document.createTextNode(data.sectors[organisation.sector][0]));
    if (organisation.address) {
      add(node, "br");
      node.appendChild(document.createTextNode(organisation.address));
    }
    if (organisation.services.length) { list(node, data.words.services, organisation.services); }
    if (organisation.contacts && organisation.contacts.length) {
      list(node, data.words.contacts, organisation.contacts);
    } else if (organisation.contacts) {
      add(node, "p", data.words.no_contacts);
    }
    if (organisation.link) {
      var link = add(add(node, "p"), "a", data.words.record);
      link.href = organisation.link;
      link.target = "_top";
    }
    return node;
  }

  data.layers.forEach(function (layer, i) {
    var style = L.extend({color: layer.colour}, data.styles.tie);
    layer.ties.forEach(function (tie) {
      var a = organisations[tie[0]], b = organisations[tie[1]];
      L.polyline([a.at, b.at], L.extend({weight: tie[3]}, style))
        .bindTooltip(text(a.name + " — " + b.name + " : " + data.texts[tie[2]]), {sticky: true})
        .addTo(layers.ties[i]);
    });
  });

  data.flows.forEach(function (flow) {
    L.polyline(flow.line, L.extend({weight: flow.weight}, data.styles.flow))
      .bindTooltip(text(flow.from + " → " + flow.to + " : " + data.texts[flow.text]), {sticky: true})
      .addTo(layers.flows);
    L.polygon(flow.head, data.styles.head).addTo(layers.flows);
  });

  organisations.forEach(function (organisation) {
    var style = L.extend({fillColor: data.sectors[organisation.sector][1]}, data.styles.organisation);
    L.circleMarker(organisation.at, style)
      .bindTooltip(text(organisation.name), {sticky: true})
      .bindPopup(function () { return popup(organisation); }, {maxWidth: 320})
      .addTo(layers.organisations);
  });
};
