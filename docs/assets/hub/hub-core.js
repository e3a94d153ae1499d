/* Councillor Hub: shared helpers for the interactive tools (plain ES2019, no build step).
 *
 * Every tool is progressive enhancement: the page is complete without JavaScript, and each
 * script only adds behaviour to markup the templates in overrides/hub/ already render.
 * Nothing leaves the device: answers live in localStorage and in files the councillor saves.
 */
(function () {
  "use strict";

  var hub = (window.CouncillorHub = window.CouncillorHub || {});

  /* The tools' words in the page's language. Pages in a language other than the hub's first load
     assets/hub/strings.<lang>.js first, which sets window.CouncillorHubStrings from the same
     translation catalogue as the pages (overrides/locale/<lang>.po). English needs no file. */
  var strings = window.CouncillorHubStrings || {};
  var lang = document.documentElement.getAttribute("lang") || "en";

  /** The translation of message, with {name} placeholders filled from vars. */
  hub.t = function (message, vars) {
    var text = typeof strings[message] === "string" ? strings[message] : message;
    Object.keys(vars || {}).forEach(function (name) {
      text = text.split("{" + name + "}").join(String(vars[name]));
    });
    return text;
  };

  /** A count with the right plural form for the page's language: hub.tn(3, "{count} tool", "{count} tools"). */
  hub.tn = function (count, one, many, vars) {
    var forms = strings[one];
    var text = count === 1 ? one : many;
    if (forms && typeof forms === "object") {
      var category = window.Intl && Intl.PluralRules ? new Intl.PluralRules(lang).select(count) : "other";
      text = forms[category] || forms.other || text;
    }
    var all = { count: count };
    Object.keys(vars || {}).forEach(function (name) {
      all[name] = vars[name];
    });
    return hub.t(text, all);
  };

  // Keys are scoped to the site's own folder, so two hubs on one domain (say two councils on
  // one GitHub Pages account) never share answers. This file sits at <site>/assets/hub/.
  var script = document.currentScript;
  var siteRoot = script ? new URL("../../", script.src).pathname : "/";
  var PREFIX = "councillor-hub:" + siteRoot + ":";

  hub.storage = {
    /** The stored value for key, or null when absent, unreadable or storage is switched off. */
    load: function (key) {
      try {
        var text = window.localStorage.getItem(PREFIX + key);
        return text === null ? null : JSON.parse(text);
      } catch (err) {
        return null;
      }
    },
    /** Store value as JSON; returns false when the browser refuses (private mode, full). */
    save: function (key, value) {
      try {
        window.localStorage.setItem(PREFIX + key, JSON.stringify(value));
        return true;
      } catch (err) {
        return false;
      }
    },
    remove: function (key) {
      try {
        window.localStorage.removeItem(PREFIX + key);
      } catch (err) {
        /* storage switched off: nothing was stored either */
      }
    },
  };

  /** Run fn once the page is ready (and again after each instant-navigation page swap). */
  hub.onReady = function (fn) {
    // Material's `document$` emits for the first page and, if navigation.instant is ever
    // switched on, for every page swapped in without a reload.
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(function () {
        fn();
      });
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", fn);
    } else {
      fn();
    }
  };

  /** Build an element. Text goes in as text, never as HTML, so content is never interpreted. */
  hub.el = function (tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) return;
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  };

  /** Put text in a live region so screen readers announce it, even when it repeats. */
  hub.announce = function (region, text) {
    if (!region) return;
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  };

  /** Offer data to the councillor as a JSON file download (made in the browser, sent nowhere). */
  hub.downloadJson = function (filename, data) {
    var blob = new Blob([JSON.stringify(data, null, 2) + "\n"], { type: "application/json" });
    var url = URL.createObjectURL(blob);
    var link = hub.el("a", { href: url, download: filename, hidden: true });
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () {
      URL.revokeObjectURL(url);
    }, 1000);
  };

  hub.MAX_FILE_BYTES = 1024 * 1024;

  /** Read a chosen file as JSON. Rejects with the reason, in words a councillor can act on. */
  hub.readJsonFile = function (file) {
    return new Promise(function (resolve, reject) {
      if (file.size > hub.MAX_FILE_BYTES) {
        reject(new Error(hub.t("It is too big to be a saved worksheet (over 1 MB).")));
        return;
      }
      var reader = new FileReader();
      reader.onerror = function () {
        reject(new Error(hub.t("The browser could not read it. Try choosing it again.")));
      };
      reader.onload = function () {
        try {
          resolve(JSON.parse(String(reader.result)));
        } catch (err) {
          reject(new Error(hub.t("It is not a saved worksheet: it is not a JSON file.")));
        }
      };
      reader.readAsText(file);
    });
  };

  /** Today as YYYY-MM-DD in the reader's own time zone. */
  hub.today = function () {
    var now = new Date();
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return now.getFullYear() + "-" + pad(now.getMonth() + 1) + "-" + pad(now.getDate());
  };

  /* The pre-election notice (overrides/main.html, the home page) was right on the day the site was
     built; show or hide it for the day it is read, so it is right between rebuilds too. */
  hub.onReady(function () {
    var today = hub.today();
    document.querySelectorAll("[data-hub-pre-election]").forEach(function (notice) {
      var periods;
      try {
        periods = JSON.parse(notice.getAttribute("data-hub-pre-election") || "[]");
      } catch (err) {
        return;
      }
      var current = periods.filter(function (p) {
        return p.from <= today && today <= p.to;
      })[0];
      notice.hidden = !current;
      var name = notice.querySelector("[data-hub-election-name]");
      if (current && name) name.textContent = current.name;
    });
  });

  /* Tables wider than the screen scroll sideways inside the box Material wraps them in. Say so
     where it happens (issue 13: on a phone, columns were cut off with no sign), and let keyboard
     users scroll: the box takes focus, as a named region. Checked again when the window changes
     size or a folded block opens, as a table in a closed block has no width until then. */
  function tableName(table) {
    var caption = table.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var node = table.closest(".md-typeset__scrollwrap") || table;
    while (node && node !== document.body) {
      var before = node.previousElementSibling;
      while (before) {
        if (/^H[2-4]$/.test(before.tagName)) return before.textContent.replace(/\u00b6/g, "").trim();
        before = before.previousElementSibling;
      }
      node = node.parentElement;
    }
    return hub.t("Table");
  }

  function markWideTables() {
    document.querySelectorAll(".md-typeset .md-typeset__scrollwrap").forEach(function (box) {
      var table = box.querySelector("table");
      if (!table) return;
      var hint = box.previousElementSibling;
      if (!hint || !hint.classList.contains("hub-scroll-hint")) hint = null;
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !hint) {
        hint = hub.el("p", { class: "hub-scroll-hint", "aria-hidden": "true" }, [
          hub.t("The table is wider than the screen: scroll sideways to see all of it."),
        ]);
        box.parentNode.insertBefore(hint, box);
      }
      if (hint) hint.hidden = !scrolls;
      if (scrolls) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", hub.t("Table: {name}. Scroll sideways to see all of it.", { name: tableName(table) }));
      } else {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    });
  }
  hub.markWideTables = markWideTables;

  var resizeTimer = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(resizeTimer);
    resizeTimer = window.setTimeout(markWideTables, 150);
  });
  document.addEventListener("toggle", markWideTables, true);
  hub.onReady(function () {
    // Material wraps the tables when the page is ready too: look after it has.
    window.requestAnimationFrame(markWideTables);
  });

  /** Today's time as 14:05, for "saved at" notes. */
  hub.clockTime = function (date) {
    var pad = function (n) {
      return (n < 10 ? "0" : "") + n;
    };
    return pad(date.getHours()) + ":" + pad(date.getMinutes());
  };
})();
