/* Add to / remove from the comparison without leaving the page, and filter panels that open
   by themselves on wide screens. Without this script every form posts and comes back as
   before, and every panel opens with a tap. */
(function () {
  "use strict";
  if (window.matchMedia && window.matchMedia("(min-width: 50rem)").matches) {
    var panels = document.querySelectorAll("details[data-open-wide]");
    for (var i = 0; i < panels.length; i++) { panels[i].open = true; }
  }
  if (!window.fetch || !window.FormData || !document.body.replaceWith) { return; }

  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  document.body.appendChild(status);

  function fromHtml(html) {
    var holder = document.createElement("div");
    holder.innerHTML = html;
    return holder.firstElementChild;
  }

  function placeTray(html) {
    var old = document.querySelector(".compare-tray");
    var fresh = html.trim() ? fromHtml(html) : null;
    if (old && fresh) { old.replaceWith(fresh); }
    else if (old) { old.remove(); }
    else if (fresh) { document.getElementById("main").before(fresh); }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var removing = /\/compare\/remove\/\d+$/.test(form.action);
    if (!form.classList.contains("compare-toggle") && !removing) { return; }
    event.preventDefault();
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-Requested-With": "fetch", "Accept": "application/json" }
    })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (data) {
        var own = form.classList.contains("compare-toggle");
        var toggles = document.querySelectorAll("form.compare-toggle");
        for (var i = 0; i < toggles.length && data.toggle; i++) {
          if (toggles[i].action.replace(/.*\//, "") === String(data.id)) {
            var fresh = fromHtml(data.toggle);
            toggles[i].replaceWith(fresh);
            if (toggles[i] === form) { fresh.querySelector("button").focus(); }
          }
        }
        if (!own) { document.getElementById("main").focus(); }
        placeTray(data.tray || "");
        status.textContent = data.message || "";
      })
      .catch(function () { form.submit(); });
  });
})();
