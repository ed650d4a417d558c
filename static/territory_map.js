// A territory's map document: its organisations, ties and referral flows, drawn into the layers folium made
// from the JSON data block written by referral/territories/network_layers.py. Names and labels are set as
// text (text nodes, textContent), never read as HTML; popups are built when first opened.
// `map`: the Leaflet map; `layers`: folium's FeatureGroups, one per tie layer, the flows and the organisations.
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

  // Each organisation's partners (a tie in any layer) and the lines that touch it: a click on an organisation
  // brings them forward and fades the rest, until its popup closes.
  var partners = organisations.map(function () { return {}; });
  var touching = organisations.map(function () { return []; });
  var lines = [], markers = [];

  data.layers.forEach(function (layer, i) {
    var style = L.extend({color: layer.colour}, data.styles.tie);
    layer.ties.forEach(function (tie) {
      var a = organisations[tie[0]], b = organisations[tie[1]];
      var line = L.polyline([a.at, b.at], L.extend({weight: tie[3]}, style))
        .bindTooltip(text(a.name + " — " + b.name + " : " + data.texts[tie[2]]), {sticky: true})
        .addTo(layers.ties[i]);
      line.base = {opacity: style.opacity};
      partners[tie[0]][tie[1]] = partners[tie[1]][tie[0]] = true;
      touching[tie[0]].push(line);
      touching[tie[1]].push(line);
      lines.push(line);
    });
  });

  data.flows.forEach(function (flow) {
    var said = flow.from + " → " + flow.to + " : " + data.texts[flow.text] + (flow.cut ? " (" + data.words.off_map + ")" : "");
    L.polyline(flow.line, L.extend({weight: flow.weight}, data.styles.flow))
      .bindTooltip(text(said), {sticky: true})
      .addTo(layers.flows);
    L.polygon(flow.head, data.styles.head).addTo(layers.flows);
  });

  function highlight(chosen) {
    markers.forEach(function (marker, j) {
      var near = chosen === null || j === chosen || partners[chosen][j];
      marker.setStyle(near ? marker.base : {opacity: 0.3, fillOpacity: 0.2});
    });
    lines.forEach(function (line) { line.setStyle(chosen === null ? line.base : {opacity: 0.1}); });
    if (chosen !== null) {
      touching[chosen].forEach(function (line) { line.setStyle({opacity: 1}).bringToFront(); });
    }
  }

  // Names beside the markers once they have room (few organisations, or zoomed in); a hover names one always.
  function label(organisation) {
    var said = (organisation.marks || []).map(function (mark) { return data.words[mark]; });
    return [organisation.name].concat(said).join(" · ");
  }
  var roomy = organisations.length <= 12;
  function overlaps(a, b) {
    return a.left < b.right + 2 && b.left < a.right + 2 && a.top < b.bottom + 2 && b.top < a.bottom + 2;
  }
  // A name that would cover another's, or run off the map, is said on a hover instead: measured once the
  // labels are laid out (the next frame), brokers' and isolated organisations' names first.
  function declutter() {
    var kept = [], edge = map.getContainer().getBoundingClientRect();
    var order = markers.map(function (marker, i) { return i; }).sort(function (a, b) {
      return (organisations[b].marks || []).length - (organisations[a].marks || []).length || a - b;
    });
    order.forEach(function (i) {
      var tooltip = markers[i].getTooltip();
      if (!tooltip || !tooltip.options.permanent) { return; }
      var box = tooltip.getElement().getBoundingClientRect();
      if (box.right > edge.right || box.left < edge.left || kept.some(function (k) { return overlaps(k, box); })) {
        markers[i].unbindTooltip().bindTooltip(text(label(organisations[i])), {sticky: true});
      } else {
        kept.push(box);
      }
    });
    document.body.dataset.labelled = "1";  // for whoever waits for the names to be placed
  }
  function names() {
    var shown = roomy || map.getZoom() >= 15;
    delete document.body.dataset.labelled;
    markers.forEach(function (marker, i) {
      marker.unbindTooltip().bindTooltip(text(label(organisations[i])), shown
        ? {permanent: true, direction: "right", offset: [10, 0], className: "organisation-label"}
        : {sticky: true});
    });
    window.requestAnimationFrame(shown ? declutter : function () { document.body.dataset.labelled = "1"; });
  }

  organisations.forEach(function (organisation, i) {
    var style = L.extend({fillColor: data.sectors[organisation.sector][1]}, data.styles.organisation);
    (organisation.marks || []).forEach(function (mark) { L.extend(style, data.styles[mark]); });
    var marker = L.circleMarker(organisation.at, style)
      .bindPopup(function () { return popup(organisation); }, {maxWidth: 320})
      .on("popupopen", function () { highlight(i); })
      .on("popupclose", function () { highlight(null); })
      .addTo(layers.organisations);
    marker.base = {opacity: 1, fillOpacity: style.fillOpacity};
    markers.push(marker);
  });
  names();
  map.on("moveend resize", names);  // after the view is framed (fitBounds), zoomed or resized
};
