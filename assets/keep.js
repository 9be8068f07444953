// Copy and Print beside a secret shown once (recovery codes, a new API token). Without
// JavaScript these buttons stay hidden; the Download link beside them needs none. What a
// button says after a click comes from its data-copied and data-copy-failed attributes,
// in the page's language.
for (const button of document.querySelectorAll("[data-copy]")) {
  button.hidden = false;
  button.addEventListener("click", async () => {
    const text = document.querySelector(button.dataset.copy).innerText.trim();
    try {
      await navigator.clipboard.writeText(text);
      button.textContent = button.dataset.copied || "Copied";
    } catch {
      button.textContent = button.dataset.copyFailed || "Select the text to copy it";
    }
  });
}
for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
