// wagtail-localize's editor has a few words in English in its script, outside any
// catalogue: the footer menu's "More actions", read aloud by screen readers. As the
// editor draws them, they are replaced by the admin's own translation of the same words.
const translateEditorWords = () => {
  const editor = document.querySelector(".js-translation-editor");
  if (!editor || typeof window.gettext !== "function") {
    return;
  }
  const words = new Set(["More actions"]);
  const translate = () => {
    editor.querySelectorAll(".w-sr-only").forEach((node) => {
      if (words.has(node.textContent)) {
        node.textContent = window.gettext(node.textContent);
      }
    });
  };
  new MutationObserver(translate).observe(editor, { childList: true, subtree: true });
  translate();
};

// The admin loads this in the page's head, before the editor's element exists.
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", translateEditorWords);
} else {
  translateEditorWords();
}
