/* Readiness check on each sprint page: ticks are kept per sprint in this browser, and the
 * status line says what is done and what is left ("3 of 5 done; still to do: ...").
 *
 * Markup (overrides/hub/sprint.md.j2): form[data-hub-readiness=<sprint-id>] with one checkbox
 * per readiness item and a .hub-readiness__status live region.
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

  hub.onReady(function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-hub-readiness]"), setUp);
  });
})();
