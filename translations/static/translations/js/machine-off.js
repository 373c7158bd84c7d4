// The translation editor where no machine translator is configured: its button is shown,
// disabled, with the reason beside it (the template comes from the server, translated).
(() => {
  const template = document.getElementById("machine-translation-off");
  const editor = document.querySelector(".js-translation-editor");
  if (template && editor) {
    editor.before(template.content.cloneNode(true));
  }
})();
