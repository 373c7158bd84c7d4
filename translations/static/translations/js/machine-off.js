// The translation editor where no machine translator is configured: its button is shown,
// disabled, with the reason beside it (the template comes from the server, translated).
const showMachineTranslationOff = () => {
  const template = document.getElementById("machine-translation-off");
  const editor = document.querySelector(".js-translation-editor");
  if (template && editor) {
    editor.before(template.content.cloneNode(true));
  }
};

// The admin loads this in the page's head, before the editor's element exists.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", showMachineTranslationOff);
} else {
  showMachineTranslationOff();
}
