// Copy buttons beside feed addresses. Without JavaScript the buttons stay hidden and the
// address is plain text that a tap or a triple-click selects whole (user-select: all).
(function () {
  "use strict";
  if (!navigator.clipboard || !window.isSecureContext) { return; }

  function copy(button) {
    var source = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".copied");
    if (!source) { return; }
    navigator.clipboard.writeText(source.textContent.trim()).then(function () {
      if (status) { status.textContent = "Copied."; }
      setTimeout(function () { if (status) { status.textContent = ""; } }, 4000);
    }, function () {
      var range = document.createRange();  // copying refused: select it for the person instead
      range.selectNodeContents(source);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      if (status) { status.textContent = "Press Ctrl+C (or ⌘C) to copy."; }
    });
  }

  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { copy(button); });
  });
})();
