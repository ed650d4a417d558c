// "Copier le message" / "Copier le texte": copies a textarea's text; the textarea stays selectable without JavaScript.
document.querySelectorAll("[data-copy]").forEach(function (button) {
  button.addEventListener("click", function () {
    var source = document.getElementById(button.dataset.copy);
    var status = button.parentElement.querySelector(".copy-status");
    function done() { if (status) { status.textContent = button.dataset.copied; } }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(source.value).then(done);
    } else {
      source.select();
      document.execCommand("copy");
      done();
    }
  });
});
// "Imprimer": shown only where JavaScript runs (the browser's own print menu works without it).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () { window.print(); });
});
