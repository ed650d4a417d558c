// The survey: « Non » to « Connaissez-vous cette personne ? » disables the questions about a collaboration
// (the server leaves them aside too); « Oui » or no answer enables them again.
document.querySelectorAll("fieldset.eval-answer").forEach(function (row) {
  var knows = row.querySelector("select[name$='-knows']");
  if (!knows) { return; }
  var details = row.querySelectorAll("select[name$='-level'], select[name$='-trust'], select[name$='-value']");
  function follow() {
    details.forEach(function (select) {
      select.disabled = knows.value === "no";
      if (select.disabled) { select.value = ""; }
    });
  }
  knows.addEventListener("change", follow);
  follow();
});
