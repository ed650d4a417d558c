// Difference view: with JavaScript the slider switches frames at once (all frames are already in
// the page); without it, the form and the links reload the page at the chosen moment.
(function () {
  var form = document.querySelector("[data-frames]");
  if (!form) return;
  var slider = form.querySelector("input[type=range]");
  var output = form.querySelector("output");
  var frames = document.querySelectorAll(".diff-frame");
  function show(index) {
    var label = "";
    frames.forEach(function (frame) {
      var on = frame.dataset.stage === String(index);
      frame.hidden = !on;
      if (on) label = frame.dataset.label;
    });
    output.textContent = label;
    slider.setAttribute("aria-valuetext", label);
    form.querySelectorAll("[data-stage-link]").forEach(function (link) {
      if (link.dataset.stageLink === String(index)) link.setAttribute("aria-current", "true");
      else link.removeAttribute("aria-current");
    });
  }
  slider.addEventListener("input", function () { show(slider.value); });
})();
