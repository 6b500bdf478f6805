/* Baken chat widget for a library website. Include it with one line:

     <script src="https://CHAT-HOST/static/widget.js" defer
             data-location="den_helder" data-lang="nl" data-mode="iframe"></script>

   data-location  branch id from knowledge/locations.yaml (optional)
   data-lang      nl (default) or en
   data-mode      iframe (default: a panel on the page) or popup (a separate window)
   data-label     the button text (optional)

   It adds one button at the bottom right. The chat itself runs on the chat server, in an
   iframe or a popup; this script does not read or change anything else on the page and
   adds no inline <style> or <script>, so it works under a strict CSP on the host site. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.__bakenWidget) return;
  window.__bakenWidget = true;

  var origin = new URL(script.src, location.href).origin;
  var data = script.dataset;
  var lang = data.lang === "en" ? "en" : "nl";
  var mode = data.mode === "popup" ? "popup" : "iframe";
  var text = {
    nl: { open: "Chat met de bibliotheek", close: "Chat sluiten", title: "Chat met de bibliotheek" },
    en: { open: "Chat with the library", close: "Close chat", title: "Chat with the library" },
  }[lang];
  var query = new URLSearchParams();
  query.set("lang", lang);
  if (data.location && /^[a-z0-9_]{1,64}$/.test(data.location)) query.set("location", data.location);
  query.set("embed", "1");
  var chatURL = origin + "/?" + query.toString();

  function style(node, rules) {
    for (var key in rules) node.style.setProperty(key, rules[key]);
  }

  var launcher = document.createElement("button");
  launcher.type = "button";
  launcher.textContent = data.label || text.open;
  launcher.setAttribute("aria-expanded", "false");
  launcher.className = "baken-launcher";
  style(launcher, {
    position: "fixed", right: "1rem", bottom: "1rem", "z-index": "2147483000",
    "min-height": "48px", padding: "0.6rem 1.2rem", "font-size": "1.125rem", "font-weight": "600",
    "font-family": "system-ui, sans-serif", color: "#ffffff", background: "#0b3d91",
    border: "2px solid #ffffff", "border-radius": "2rem", "box-shadow": "0 2px 8px rgba(0,0,0,0.35)", cursor: "pointer",
  });

  var panel = null;
  var frame = null;
  var popup = null;

  function narrow() {
    return window.matchMedia("(max-width: 30rem)").matches;
  }

  function buildPanel() {
    panel = document.createElement("div");
    panel.id = "baken-chat-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", text.title);
    style(panel, {
      position: "fixed", "z-index": "2147483001", background: "#ffffff", display: "flex",
      "flex-direction": "column", "box-shadow": "0 4px 24px rgba(0,0,0,0.4)", border: "2px solid #0b3d91",
    });
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = text.close;
    style(close, {
      "align-self": "flex-end", margin: "0.25rem", "min-height": "44px", padding: "0.4rem 1rem",
      "font-size": "1rem", "font-weight": "600", "font-family": "system-ui, sans-serif", color: "#0b3d91",
      background: "#ffffff", border: "2px solid #0b3d91", "border-radius": "0.5rem", cursor: "pointer",
    });
    close.addEventListener("click", hide);
    frame = document.createElement("iframe");
    frame.src = chatURL;
    frame.title = text.title;
    frame.setAttribute("allow", "autoplay");
    style(frame, { flex: "1 1 auto", width: "100%", border: "0" });
    panel.appendChild(close);
    panel.appendChild(frame);
    panel.addEventListener("keydown", function (event) {
      if (event.key === "Escape") hide();
    });
    launcher.setAttribute("aria-controls", panel.id);
    document.body.appendChild(panel);
  }

  function place() {
    if (narrow()) style(panel, { inset: "0", width: "100%", height: "100%", "border-radius": "0" });
    else style(panel, { inset: "auto", right: "1rem", bottom: "5rem", width: "26rem", height: "min(44rem, calc(100vh - 6rem))", "border-radius": "0.75rem" });
  }

  function show() {
    if (mode === "popup") {
      popup = window.open(chatURL, "baken-chat", "width=440,height=720,noopener=no");
      if (popup) {
        popup.focus();
        return;
      }
      // Popups blocked: fall back to the panel.
    }
    if (!panel) buildPanel();
    place();
    panel.hidden = false;
    panel.style.display = "flex";
    launcher.setAttribute("aria-expanded", "true");
    launcher.textContent = text.close;
    frame.focus();
  }

  function hide() {
    if (!panel) return;
    panel.hidden = true;
    panel.style.display = "none";
    launcher.setAttribute("aria-expanded", "false");
    launcher.textContent = data.label || text.open;
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel && !panel.hidden) hide();
    else show();
  });
  window.addEventListener("resize", function () {
    if (panel && !panel.hidden) place();
  });

  function mount() {
    document.body.appendChild(launcher);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
