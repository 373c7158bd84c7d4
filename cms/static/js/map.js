/* Draws a map of a page's places (region_pages/includes/map.html) with Leaflet. Loaded,
   after Leaflet, by js/site.js when the reader first asks for the map (some 165 KB a
   page need not carry). A map whose background cannot be loaded says so, keeps its
   markers and names them. */
(function () {
    "use strict";

    function marker(item) {
        // The icon's text is its accessible name: Leaflet makes a keyboard-reachable button of it.
        var label = document.createElement("span");
        label.className = "visually-hidden";
        label.textContent = item.name;
        var icon = L.divIcon({ className: "map-marker", html: label, iconSize: [26, 26], iconAnchor: [13, 13], popupAnchor: [0, -13] });
        var popup = document.createElement("div");
        var link = document.createElement("a");
        link.href = item.url;
        link.textContent = item.name;
        popup.appendChild(link);
        if (item.detail) {
            var detail = document.createElement("p");
            detail.textContent = item.detail;
            popup.appendChild(detail);
        }
        return L.marker([item.latitude, item.longitude], { icon: icon, keyboard: true, title: item.name }).bindPopup(popup);
    }

    function draw(block, figure) {
        var items = JSON.parse(document.getElementById(block.dataset.markers).textContent);
        var box = figure.querySelector(".map");
        var notice = figure.querySelector("[data-map-notice]");
        var map = L.map(box, { scrollWheelZoom: false });
        var markers = items.map(marker);
        var loaded = 0;
        function background(state) {
            if (figure.dataset.background === state) {
                return;
            }
            figure.dataset.background = state;
            if (state === "missing") {
                notice.hidden = false;
                // Without a background the dots alone say little: name each one.
                markers.forEach(function (each, index) {
                    var name = document.createElement("span");
                    name.textContent = items[index].name;
                    each.bindTooltip(name, { permanent: true, direction: "right", offset: [10, 0] });
                });
            }
        }
        if (box.dataset.tiles) {
            var layer = L.tileLayer(box.dataset.tiles, { attribution: box.dataset.attribution, maxZoom: 17 });
            layer.on("tileload", function () {
                loaded += 1;
                background("loaded");
            });
            layer.on("tileerror", function () {
                if (!loaded) {
                    background("missing");
                }
            });
            layer.addTo(map);
        } else {
            background("missing");
        }
        var group = L.featureGroup(markers).addTo(map);
        map.fitBounds(group.getBounds(), { padding: [30, 30], maxZoom: 14 });
        figure.dataset.markers = String(markers.length);
    }

    window.ranaregionenMap = draw;
})();
