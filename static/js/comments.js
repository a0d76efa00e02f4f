// The comment form may come from a page cache, so the "form shown at" token in it
// can be old. When the reader starts on the form, fetch a fresh one.
document.querySelectorAll("form.comment-form[data-token-url]").forEach((form) => {
  form.addEventListener("focusin", () => {
    fetch(form.dataset.tokenUrl, { credentials: "omit", cache: "no-store" })
      .then((response) => (response.ok ? response.json() : null))
      .then((data) => {
        if (data) form.elements.issued.value = data.token;
      })
      .catch(() => {}); // keep the token the page came with
  }, { once: true });
});
