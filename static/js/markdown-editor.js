// Options for wagtail-markdown's editor (EasyMDE), read when each editor starts.
// Its spell-checker would download dictionaries from a CDN: no page here loads anything from one.
window.wagtailMarkdown = window.wagtailMarkdown || {};
window.wagtailMarkdown.options = Object.assign(window.wagtailMarkdown.options || {}, { spellChecker: false });
