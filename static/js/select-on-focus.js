// Selects the whole value of read-only fields marked data-select-on-focus (a subscription
// address to copy). A static file rather than an onfocus="" attribute, which the
// Content-Security-Policy refuses.
document.addEventListener("focusin", function (event) {
  var field = event.target;
  if (field && field.matches && field.matches("[data-select-on-focus]")) {
    field.select();
  }
});
