/* Suggestions for the search box in the site header.
   The browser's own list (a <datalist>) shows them, so they work with the keyboard and
   screen readers as any input suggestions do. Without this script the search box is an
   ordinary form. */
(function () {
    "use strict";
    var form = document.querySelector("form.site-search[data-suggest-url]");
    if (!form || !window.fetch) {
        return;
    }
    var input = form.querySelector("input[name='q']");
    var list = document.createElement("datalist");
    list.id = "site-search-suggestions";
    form.appendChild(list);
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");

    var timer = null;
    var last = "";

    function show(suggestions) {
        var options = suggestions.map(function (item) {
            var option = document.createElement("option");
            option.value = item.title;
            option.label = item.kind;
            return option;
        });
        list.replaceChildren.apply(list, options);
    }

    function update() {
        var value = input.value.trim();
        if (value === last) {
            return;
        }
        last = value;
        var words = value.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
        if (!words.length || words[words.length - 1].length < 3) {
            show([]);
            return;
        }
        fetch(form.dataset.suggestUrl + "?q=" + encodeURIComponent(value), {
            headers: { Accept: "application/json" },
        })
            .then(function (response) {
                return response.ok ? response.json() : { suggestions: [] };
            })
            .then(function (data) {
                if (input.value.trim() === value) {
                    show(data.suggestions || []);
                }
            })
            .catch(function () {
                show([]);
            });
    }

    input.addEventListener("input", function () {
        window.clearTimeout(timer);
        timer = window.setTimeout(update, 200);
    });
})();
