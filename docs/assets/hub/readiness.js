/* Readiness check on each sprint page: ticks are kept per sprint in this browser, and the
 * status line says what is done and what is left ("3 of 5 done; still to do: ...").
 *
 * Markup (overrides/hub/sprint.md.j2): form[data-hub-readiness=<sprint-id>] with one checkbox
 * per readiness item and a .hub-readiness__status live region.
 *
 * "Send to my facilitator" (div[data-hub-readiness-send=<sprint-id>]): the councillor types their
 * name and saves a small file, or copies a text block into an email. Nothing is sent from the page.
 * Both carry the same return, which `councillor-hub cohort readiness import` reads (format version 1):
 *   {"format": "councillor-hub-readiness", "version": 1, "sprint": "<sprint id>", "name": "...",
 *    "date": "YYYY-MM-DD", "items": ["<every item id>"], "done": ["<ticked item ids>"]}
 * In the email text it is the last line, as compact JSON, so it survives being pasted anywhere.
 */
(function () {
  "use strict";

  var hub = window.CouncillorHub;

  function labelText(form, box) {
    var label = form.querySelector('label[for="' + box.id + '"]');
    return (label ? label.textContent : box.name).trim().replace(/[.\s]+$/, "");
  }

  /** The status sentence for a list of {text, done} items. */
  function readinessStatus(items) {
    var left = items.filter(function (item) {
      return !item.done;
    });
    var done = items.length - left.length;
    if (!left.length) {
      return hub.tn(items.length, "All {count} done. You are ready for the next sprint.", "All {count} done. You are ready for the next sprint.");
    }
    return hub.t("{done} of {total} done; still to do: {items}.", {
      done: done,
      total: items.length,
      items: left
        .map(function (item) {
          return item.text;
        })
        .join("; "),
    });
  }
  hub.readinessStatus = readinessStatus;

  function setUp(form) {
    if (form.hasAttribute("data-hub-ready")) return;
    form.setAttribute("data-hub-ready", "");
    var key = "readiness:" + form.getAttribute("data-hub-readiness");
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"]'));
    var status = form.querySelector(".hub-readiness__status");

    function update() {
      status.textContent = readinessStatus(
        boxes.map(function (box) {
          return { text: labelText(form, box), done: box.checked };
        })
      );
    }

    var saved = hub.storage.load(key);
    var ticked = saved && Array.isArray(saved.done) ? saved.done : [];
    boxes.forEach(function (box) {
      box.checked = ticked.indexOf(box.name) !== -1;
    });
    update();

    form.addEventListener("change", function () {
      hub.storage.save(key, {
        done: boxes.filter(function (box) {
          return box.checked;
        }).map(function (box) {
          return box.name;
        }),
        saved: new Date().toISOString(),
      });
      update();
    });
    // The readiness form has no submit button, but Enter in a browser that adds one must not reload.
    form.addEventListener("submit", function (event) {
      event.preventDefault();
    });
    var note = form.querySelector("[data-hub-readiness-note]");
    if (note) note.hidden = false;
  }

  var RETURN_FORMAT = "councillor-hub-readiness";
  var NAME_KEY = "readiness-name";

  /** The return for a facilitator: which sprint, whose, and which items are ticked. */
  function readinessReturn(form, name) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"]'));
    return {
      format: RETURN_FORMAT,
      version: 1,
      sprint: form.getAttribute("data-hub-readiness"),
      name: name,
      date: hub.today(),
      items: boxes.map(function (box) {
        return box.name;
      }),
      done: boxes.filter(function (box) {
        return box.checked;
      }).map(function (box) {
        return box.name;
      }),
    };
  }
  hub.readinessReturn = readinessReturn;

  /** The return as text for an email: readable lines, then the return itself as one line of JSON. */
  function readinessEmail(form, data, title) {
    var boxes = Array.prototype.slice.call(form.querySelectorAll('input[type="checkbox"]'));
    var done = boxes.filter(function (box) {
      return box.checked;
    });
    var left = boxes.filter(function (box) {
      return !box.checked;
    });
    var lines = [
      hub.t("Readiness check: {sprint}", { sprint: title }),
      hub.t("Name: {name}", { name: data.name }),
      hub.t("Date: {date}", { date: data.date }),
      "",
      hub.t("Done: {done} of {total}", { done: done.length, total: boxes.length }),
    ];
    done.forEach(function (box) {
      lines.push("[x] " + labelText(form, box));
    });
    left.forEach(function (box) {
      lines.push("[ ] " + labelText(form, box));
    });
    lines.push("", hub.t("For your facilitator's records (please leave this line in):"), JSON.stringify(data));
    return lines.join("\n");
  }
  hub.readinessEmail = readinessEmail;

  function setUpSend(panel) {
    if (panel.hasAttribute("data-hub-ready")) return;
    var sprint = panel.getAttribute("data-hub-readiness-send");
    var form = document.querySelector('form[data-hub-readiness="' + sprint + '"]');
    if (!form) return;
    panel.setAttribute("data-hub-ready", "");
    var title = panel.getAttribute("data-hub-readiness-title") || sprint;
    var nameInput = panel.querySelector("[data-hub-readiness-name]");
    var emailPart = panel.querySelector("[data-hub-readiness-email]");
    var text = panel.querySelector("[data-hub-readiness-text]");
    var status = panel.querySelector("[data-hub-readiness-send-status]");
    var error = panel.querySelector("[data-hub-readiness-send-error]");

    var savedName = hub.storage.load(NAME_KEY);
    if (typeof savedName === "string") nameInput.value = savedName;
    nameInput.addEventListener("change", function () {
      hub.storage.save(NAME_KEY, nameInput.value.trim());
    });

    /** The return, or null (with the reason shown) when the name is missing. */
    function current() {
      error.textContent = "";
      status.textContent = "";
      var name = nameInput.value.replace(/\s+/g, " ").trim();
      if (!name) {
        error.textContent = hub.t("Type your name first, so your facilitator knows who it is from.");
        nameInput.focus();
        return null;
      }
      hub.storage.save(NAME_KEY, name);
      return readinessReturn(form, name);
    }

    panel.querySelector('[data-hub-action="readiness-file"]').addEventListener("click", function () {
      var data = current();
      if (!data) return;
      var slug = data.name.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "") || "return";
      hub.downloadJson("readiness-" + data.sprint + "-" + slug + ".json", data);
      hub.announce(status, hub.t("Saved. Attach the file to an email to your facilitator."));
    });

    panel.querySelector('[data-hub-action="readiness-text"]').addEventListener("click", function () {
      var data = current();
      if (!data) return;
      text.value = readinessEmail(form, data, title);
      emailPart.hidden = false;
      text.focus();
      text.select();
    });

    panel.querySelector('[data-hub-action="readiness-copy"]').addEventListener("click", function () {
      text.focus();
      text.select();
      var copied = function () {
        hub.announce(status, hub.t("Copied. Paste it into an email to your facilitator."));
      };
      var manual = function () {
        hub.announce(status, hub.t("Your browser did not let the page copy. The text is selected: copy it yourself."));
      };
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(text.value).then(copied, manual);
      } else {
        manual();
      }
    });
    panel.hidden = false;
  }

  hub.onReady(function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-hub-readiness]"), setUp);
    Array.prototype.forEach.call(document.querySelectorAll("[data-hub-readiness-send]"), setUpSend);
  });
})();
