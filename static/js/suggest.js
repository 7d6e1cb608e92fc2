/* Search suggestions as you type: a progressive enhancement of the site search box.
   Without this script (or without the suggestion API) the box is a plain GET form. */
(function () {
  "use strict";
  var script = document.currentScript;
  var endpoint = script && script.getAttribute("data-suggest-url");
  var input = document.getElementById("site-q");
  if (!endpoint || !input || !window.fetch || !input.form) { return; }

  var form = input.form;
  var list = document.createElement("ul");
  list.id = "site-q-suggestions";
  list.className = "suggestions";
  list.hidden = true;
  list.setAttribute("aria-label", input.getAttribute("placeholder") || "");
  form.appendChild(list);
  var status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  form.appendChild(status);
  input.setAttribute("autocomplete", "off");
  // aria-expanded is allowed on a combobox, not on a plain search box.
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-controls", list.id);
  input.setAttribute("aria-expanded", "false");

  var timer = null;
  var pending = null;

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
  }

  function itemsOf(data) {
    var raw = Array.isArray(data) ? data
      : (data && (data.names || data.suggestions || data.results || data.items || data.data)) || [];
    var items = [];
    for (var i = 0; i < raw.length && items.length < 8; i++) {
      var entry = raw[i];
      var label = typeof entry === "string" ? entry
        : entry && (entry.label || entry.name || entry.full_name || entry.title || entry.text);
      if (!label) { continue; }
      var url = (entry && (entry.url || entry.href)) ||
        (entry && entry.id ? "/candidates/" + encodeURIComponent(entry.id)
          : form.getAttribute("action") + "?q=" + encodeURIComponent(label));
      if (String(url).charAt(0) !== "/" || String(url).charAt(1) === "/") { continue; }
      items.push({ label: String(label), detail: entry && entry.detail, url: url });
    }
    return items;
  }

  function show(items) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = item.url;
      a.textContent = item.detail ? item.label + " · " + item.detail : item.label;
      li.appendChild(a);
      list.appendChild(li);
    });
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", items.length ? "true" : "false");
    status.textContent = items.length ? String(items.length) + " \u2193" : "";
  }

  function ask() {
    var q = input.value.trim();
    if (q.length < 2 || q.length > 200) { close(); return; }
    if (pending && pending.abort) { pending.abort(); }
    pending = window.AbortController ? new AbortController() : null;
    var url = endpoint + (endpoint.indexOf("?") < 0 ? "?" : "&") + "q=" + encodeURIComponent(q);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin",
                 signal: pending ? pending.signal : undefined })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (input.value.trim() === q) { show(data ? itemsOf(data) : []); }
      })
      .catch(function () { /* offline or aborted: the plain form still works */ });
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll("a")); }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(ask, 200);
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "ArrowDown" && !list.hidden && links().length) {
      event.preventDefault();
      links()[0].focus();
    } else if (event.key === "Escape") {
      close();
    }
  });
  list.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "ArrowDown" && at < all.length - 1) {
      event.preventDefault();
      all[at + 1].focus();
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      (at > 0 ? all[at - 1] : input).focus();
    } else if (event.key === "Escape") {
      close();
      input.focus();
    }
  });
  form.addEventListener("focusout", function () {
    window.setTimeout(function () {
      if (!form.contains(document.activeElement)) { close(); }
    }, 0);
  });
})();
