/* The header on a phone: the search and the menu fold behind two buttons, so the page's
   own content starts near the top. Without this script (or on a wide screen) both are
   simply shown. Each button says whether its part is open (aria-expanded); Escape closes
   it and gives the focus back to its button. */
(function () {
    "use strict";
    var toggles = document.querySelector(".site-header__toggles");
    if (!toggles) {
        return;
    }
    var narrow = window.matchMedia("(max-width: 40rem)");
    var buttons = Array.prototype.slice.call(toggles.querySelectorAll("button[data-toggles]"));

    function part(button) {
        return document.getElementById(button.getAttribute("data-toggles"));
    }

    function setOpen(button, open) {
        button.setAttribute("aria-expanded", open ? "true" : "false");
        part(button).classList.toggle("is-folded", !open);
    }

    function layout() {
        toggles.hidden = !narrow.matches;
        buttons.forEach(function (button) {
            if (narrow.matches) {
                setOpen(button, false);
            } else {
                part(button).classList.remove("is-folded");
            }
        });
    }

    buttons.forEach(function (button) {
        button.addEventListener("click", function () {
            var open = button.getAttribute("aria-expanded") !== "true";
            setOpen(button, open);
            if (open) {
                var first = part(button).querySelector("input, a[href]");
                if (first) {
                    first.focus();
                }
            }
        });
        part(button).addEventListener("keydown", function (event) {
            if (event.key === "Escape" && narrow.matches) {
                setOpen(button, false);
                button.focus();
            }
        });
    });
    narrow.addEventListener("change", layout);
    layout();
}());

/* The arrival guide: a box to tick off each step, remembered in this browser only
   (localStorage, no cookie), the same in both languages (the key is the guide's
   translation key, the steps' ids are the same in both). Without this script the steps
   are a plain ordered list. */
(function () {
    "use strict";
    var list = document.querySelector("[data-arrival-guide]");
    if (!list) {
        return;
    }
    var key = "arrival-guide:" + list.getAttribute("data-arrival-guide");
    var progress = document.querySelector("[data-arrival-progress]");
    var steps = Array.prototype.slice.call(list.querySelectorAll("[data-step]"));
    var done = {};

    try {
        JSON.parse(window.localStorage.getItem(key) || "[]").forEach(function (id) {
            done[id] = true;
        });
    } catch (error) {
        // Storage blocked or damaged: start with nothing ticked.
    }

    function save() {
        try {
            window.localStorage.setItem(key, JSON.stringify(Object.keys(done)));
        } catch (error) {
            // Storage blocked: the ticks last as long as the page.
        }
    }

    function report() {
        var count = steps.filter(function (step) {
            return done[step.getAttribute("data-step")];
        }).length;
        progress.textContent = progress.getAttribute("data-template")
            .replace("{done}", count)
            .replace("{total}", steps.length);
        progress.hidden = false;
    }

    steps.forEach(function (step) {
        var id = step.getAttribute("data-step");
        var title = step.querySelector("h2");
        var box = document.createElement("input");
        box.type = "checkbox";
        box.id = "done-" + id;
        box.className = "ds-input arrival-step__done";
        box.checked = Boolean(done[id]);
        var label = document.createElement("label");
        label.htmlFor = box.id;
        label.className = "ds-label arrival-step__done-label";
        label.textContent = list.getAttribute("data-done-label");
        if (title) {
            // Eleven boxes named "Done" would not say which step each ticks off; the
            // name starts with the visible label (WCAG 2.5.3).
            box.setAttribute("aria-label", label.textContent + ": " + title.textContent);
        }
        var field = document.createElement("div");
        field.className = "arrival-step__check";
        field.appendChild(box);
        field.appendChild(label);
        step.insertBefore(field, step.firstChild);
        step.classList.toggle("is-done", box.checked);
        box.addEventListener("change", function () {
            if (box.checked) {
                done[id] = true;
            } else {
                delete done[id];
            }
            step.classList.toggle("is-done", box.checked);
            save();
            report();
        });
    });
    report();
}());

/* Maps (region_pages/includes/map.html): the button that shows one. Leaflet and the
   drawing (js/map.js) are loaded only when it is first pressed: the list of the same
   places is on the page already, and most readers never open the map. */
(function () {
    "use strict";
    var loading = null;

    function load(block) {
        if (!loading) {
            loading = new Promise(function (resolve, reject) {
                var css = document.createElement("link");
                css.rel = "stylesheet";
                css.href = block.getAttribute("data-leaflet-css");
                document.head.appendChild(css);
                var scripts = [block.getAttribute("data-leaflet-js"), block.getAttribute("data-map-js")];
                (function next() {
                    if (!scripts.length) {
                        resolve();
                        return;
                    }
                    var script = document.createElement("script");
                    script.src = scripts.shift();
                    script.onload = next;
                    script.onerror = reject;
                    document.head.appendChild(script);
                }());
            });
        }
        return loading;
    }

    document.querySelectorAll("[data-map-block]").forEach(function (block) {
        var button = block.querySelector("button");
        var figure = block.querySelector("figure");
        var showLabel = button.textContent;
        var drawn = false;
        button.hidden = false;
        button.addEventListener("click", function () {
            var open = button.getAttribute("aria-expanded") !== "true";
            button.setAttribute("aria-expanded", String(open));
            button.textContent = open ? button.getAttribute("data-hide-label") : showLabel;
            figure.hidden = !open;
            if (!open || drawn) {
                return;
            }
            drawn = true;
            load(block).then(function () {
                window.ranaregionenMap(block, figure);
            }, function () {
                figure.querySelector("[data-map-notice]").hidden = false;
                figure.setAttribute("data-background", "missing");
            });
        });
    });
}());
