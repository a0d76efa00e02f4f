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

// Reply links work without JavaScript (?reply_to=N opens the form answering comment N). With it,
// the form moves under the comment answered, and "Cancel the reply" puts it back, answering nobody.
document.querySelectorAll("form.comment-form").forEach((form) => {
  const home = form.parentElement;
  const replyTo = form.elements.reply_to;
  const note = form.querySelector(".replying-to");
  const answering = note.querySelector("a");
  const answer = (comment, link) => {
    replyTo.value = link.dataset.replyTo;
    answering.href = `#${comment.id}`;
    answering.textContent = link.dataset.replyName;
    note.hidden = false;
    comment.after(form);
    form.elements.text.focus();
  };
  document.querySelectorAll("a.reply-link[data-reply-to]").forEach((link) => {
    link.addEventListener("click", (event) => {
      event.preventDefault();
      answer(link.closest(".comment"), link);
    });
  });
  note.querySelector(".cancel-reply").addEventListener("click", (event) => {
    event.preventDefault();
    replyTo.value = "";
    note.hidden = true;
    home.append(form);
    form.elements.text.focus();
  });
});
