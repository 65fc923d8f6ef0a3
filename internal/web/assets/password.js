// Checks a new password against the pool's policy as it is typed, and that the two fields
// agree. It only helps: the page works without it, and the server checks again.
(function () {
  "use strict";
  var list = document.querySelector("ul.policy");
  var pw = document.getElementById("password");
  var confirm = document.getElementById("confirm");
  var match = document.getElementById("match");
  if (!list || !pw) { return; }
  var symbols = list.getAttribute("data-symbols") || "";
  var rules = {
    length: function (v) { return Array.from(v).length >= Number(list.getAttribute("data-min") || 8); },
    upper: function (v) { return /[A-Z]/.test(v); },
    lower: function (v) { return /[a-z]/.test(v); },
    number: function (v) { return /[0-9]/.test(v); },
    symbol: function (v) { return Array.from(v).some(function (c) { return symbols.indexOf(c) >= 0; }); }
  };
  function update() {
    var v = pw.value;
    list.querySelectorAll("li[data-rule]").forEach(function (li) {
      var ok = rules[li.getAttribute("data-rule")](v);
      li.classList.toggle("met", ok);
      li.classList.toggle("passwordCheck-valid-customizable", ok);
      li.classList.toggle("passwordCheck-notValid-customizable", !ok);
      var state = li.querySelector(".sr-only");
      if (state) { state.textContent = ok ? " (done)" : " (not yet)"; }
    });
    if (confirm && match) {
      if (!confirm.value) { match.textContent = ""; match.className = "match"; }
      else if (confirm.value === v) { match.textContent = "The passwords match."; match.className = "match good"; }
      else { match.textContent = "The passwords are not the same yet."; match.className = "match bad"; }
    }
  }
  pw.addEventListener("input", update);
  if (confirm) { confirm.addEventListener("input", update); }
  update();
})();
