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
