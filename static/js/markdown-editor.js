// Options for wagtail-markdown's editor (EasyMDE), read when each editor starts.
// Its spell-checker would download dictionaries from a CDN: no page here loads anything from one.
window.wagtailMarkdown = window.wagtailMarkdown || {};
window.wagtailMarkdown.options = Object.assign(window.wagtailMarkdown.options || {}, { spellChecker: false });

// Toolbar buttons that open Wagtail's own choosers and put a reference at the cursor, which blog/markdown.py
// makes a picture or a link: ![alt text](image:12), [text](page:12), [text](doc:12). The choosers' addresses
// come from the page (blog/wagtail_hooks.py); the image chooser asks for the alt text and the alignment.
(() => {
  const urls = () => JSON.parse(document.getElementById("markdown-chooser-urls").textContent);
  const words = (text) => text.replace(/[[\]\\]/g, "\\$&").replace(/\s+/g, " ").trim();
  const insert = (editor, text) => {
    editor.codemirror.replaceSelection(text);
    editor.codemirror.focus();
  };
  const linkTo = (kind) => (editor) => {
    const selected = editor.codemirror.getSelection();
    const link = (chosen) => insert(editor, `[${words(selected || chosen.title)}](${kind}:${chosen.id})`);
    const responses = kind === "page" ? { pageChosen: link } : { chosen: link };
    const onload = kind === "page" ? window.PAGE_CHOOSER_MODAL_ONLOAD_HANDLERS : window.DOCUMENT_CHOOSER_MODAL_ONLOAD_HANDLERS;
    window.ModalWorkflow({ url: urls()[kind], onload, responses });
  };
  const picture = (editor) => {
    window.ModalWorkflow({
      url: urls().image,
      urlParams: { select_format: "true" },
      onload: window.IMAGE_CHOOSER_MODAL_ONLOAD_HANDLERS,
      responses: {
        chosen: (image) => {
          const side = { left: "{: .left }", right: "{: .right }" }[image.format] || "";
          insert(editor, `![${words(image.alt || "")}](image:${image.id})${side}`);
        },
      },
    });
  };
  window.wagtailMarkdown.options.toolbar = [
    "bold", "italic", "heading", "|", "quote", "unordered-list", "ordered-list", "code", "|", "link",
    { name: "page-link", action: linkTo("page"), className: "fa fa-file-text-o", title: "Link to a page of this site" },
    { name: "document-link", action: linkTo("doc"), className: "fa fa-paperclip", title: "Link to a document" },
    { name: "picture", action: picture, className: "fa fa-picture-o", title: "Insert a picture from the image library" },
    "|", "preview", "side-by-side", "fullscreen", "|", "guide",
  ];
})();
