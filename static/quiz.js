// Optional: ask before leaving a quiz with unsent answers. Everything works without it.
(function () {
  const form = document.querySelector("form[data-confirm-leave]");
  if (!form) return;
  let dirty = false;
  let sending = false;
  form.addEventListener("change", function () { dirty = true; });
  form.addEventListener("submit", function () { sending = true; });
  window.addEventListener("beforeunload", function (event) {
    if (dirty && !sending) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();
