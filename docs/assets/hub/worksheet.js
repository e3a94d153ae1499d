/* Worksheets and planning sheets: autosave in this browser, restore on reload, save to and
 * open from a JSON file, print, and clear with a confirmation.
 *
 * Markup (overrides/hub/worksheet.md.j2): form[data-hub-worksheet=<key>] holds the answers;
 * div[data-hub-worksheet-tools=<key>] holds the buttons and messages; on network-map sheets,
 * div[data-hub-network-map=<key>] is the map (network-map.js), saved in the same file.
 *
 * File and storage format (version 1):
 *   {"format": "councillor-hub-worksheet", "version": 1, "worksheet": "<key>",
 *    "title": "...", "saved": "<ISO date>", "answers": {"<field name>": "text" | ["ticked", ...]},
 *    "map": {...}}            <- only on network-map sheets; see network-map.js
 */
(function () {
  "use strict";

  var hub = window.CouncillorHub;
  var FORMAT = "councillor-hub-worksheet";
  var VERSION = 1;
  var MAX_TEXT = 20000;

  function fieldsOf(form) {
    var fields = {};
    Array.prototype.forEach.call(form.elements, function (input) {
      if (!input.name || input.type === "button" || input.type === "submit") return;
      var field = (fields[input.name] = fields[input.name] || { kind: input.type, inputs: [] });
      if (input.tagName === "TEXTAREA") field.kind = "text";
      else if (input.type !== "radio" && input.type !== "checkbox") field.kind = "text";
      field.inputs.push(input);
    });
    return fields;
  }

  /** The form's answers: text as a string, a choice as its value, a checklist as a list. */
  function readAnswers(fields) {
    var answers = {};
    Object.keys(fields).forEach(function (name) {
      var field = fields[name];
      if (field.kind === "text") {
        if (field.inputs[0].value.trim()) answers[name] = field.inputs[0].value;
      } else if (field.kind === "radio") {
        field.inputs.forEach(function (input) {
          if (input.checked) answers[name] = input.value;
        });
      } else {
        var ticked = field.inputs
          .filter(function (input) {
            return input.checked;
          })
          .map(function (input) {
            return input.value;
          });
        if (ticked.length) answers[name] = ticked;
      }
    });
    return answers;
  }

  function writeAnswers(fields, answers) {
    Object.keys(fields).forEach(function (name) {
      var field = fields[name];
      var value = answers[name];
      if (field.kind === "text") field.inputs[0].value = typeof value === "string" ? value : "";
      else
        field.inputs.forEach(function (input) {
          input.checked = Array.isArray(value) ? value.indexOf(input.value) !== -1 : value === input.value;
        });
    });
  }

  /**
   * Check answers from a file against this form. Returns {value, errors, skipped}: answers of
   * the wrong shape are errors (the file is refused); answers to questions or options this
   * page no longer has are skipped and counted, because a council may have edited the sheet.
   */
  function validateAnswers(raw, fields) {
    var errors = [];
    var value = {};
    var skipped = 0;
    if (raw === undefined) return { value: value, errors: errors, skipped: 0 };
    if (raw === null || typeof raw !== "object" || Array.isArray(raw))
      return { value: value, errors: [hub.t("The answers are not in the expected form.")], skipped: 0 };
    Object.keys(raw).forEach(function (name) {
      var answer = raw[name];
      var field = fields[name];
      var isList = Array.isArray(answer);
      var shapeOk =
        (typeof answer === "string" && answer.length <= MAX_TEXT) ||
        (isList &&
          answer.every(function (item) {
            return typeof item === "string" && item.length <= MAX_TEXT;
          }));
      if (!shapeOk) {
        errors.push(hub.t('The answer "{name}" is not text or a list of ticked options.', { name: name }));
        return;
      }
      if (!field) {
        skipped += 1;
        return;
      }
      var options = field.inputs.map(function (input) {
        return input.value;
      });
      if (field.kind === "text") {
        if (isList) errors.push(hub.t('The answer "{name}" should be text, not a list.', { name: name }));
        else value[name] = answer;
      } else if (field.kind === "radio") {
        if (isList) errors.push(hub.t('The answer "{name}" should be one choice, not a list.', { name: name }));
        else if (options.indexOf(answer) === -1) skipped += 1;
        else value[name] = answer;
      } else {
        var list = isList ? answer : [answer];
        var known = list.filter(function (item) {
          return options.indexOf(item) !== -1;
        });
        skipped += list.length - known.length;
        if (known.length) value[name] = known;
      }
    });
    return { value: value, errors: errors, skipped: skipped };
  }

  function autoGrow(textarea) {
    textarea.style.height = "auto";
    textarea.style.height = textarea.scrollHeight + 2 + "px";
  }

  function setUp(tools) {
    if (tools.hasAttribute("data-hub-ready")) return;
    tools.setAttribute("data-hub-ready", "");
    var key = tools.getAttribute("data-hub-worksheet-tools");
    var form = document.querySelector('form[data-hub-worksheet="' + key + '"]');
    if (!form) return;
    var mapRoot = document.querySelector('[data-hub-network-map="' + key + '"]');
    var map = mapRoot && hub.NetworkMap ? hub.NetworkMap(mapRoot) : null;
    var fields = fieldsOf(form);
    var storageKey = "worksheet:" + key;
    var status = tools.querySelector("[data-hub-status]");
    var errorBox = tools.querySelector("[data-hub-error]");
    var savedNote = tools.querySelector("[data-hub-saved-note]");
    var fileInput = tools.querySelector("[data-hub-import-file]");
    var heading = document.querySelector(".md-content h1");
    var title = heading ? heading.textContent.replace(/\u00b6/g, "").trim() : key;

    function snapshot() {
      var data = {
        format: FORMAT,
        version: VERSION,
        worksheet: key,
        title: title,
        saved: new Date().toISOString(),
        answers: readAnswers(fields),
      };
      if (map) data.map = map.read();
      return data;
    }

    function isEmpty() {
      return !Object.keys(readAnswers(fields)).length && (!map || map.isEmpty());
    }

    /** Check a whole file. Returns {answers, map, errors, skipped}. */
    function validateFile(data) {
      if (data === null || typeof data !== "object" || Array.isArray(data) || data.format !== FORMAT)
        return { errors: [hub.t("It was not saved from a Councillor Hub worksheet.")] };
      if (typeof data.version !== "number" || data.version > VERSION)
        return { errors: ["It was saved by a newer version of the hub. Ask whoever runs the hub to update it."] };
      if (data.worksheet !== key) {
        var other = typeof data.title === "string" && data.title ? '"' + data.title + '"' : "another worksheet";
        return { errors: [hub.t("It holds answers for {other}, not for this one. Open it on that worksheet's page.", { other: other })] };
      }
      if (map && map.upgrade) data = map.upgrade(data); // older files: see network-map.js
      var answers = validateAnswers(data.answers, fields);
      var errors = answers.errors.slice();
      var mapResult = null;
      if (map) {
        mapResult = data.map === undefined ? { value: null, errors: [] } : map.validate(data.map);
        errors = errors.concat(mapResult.errors);
      }
      return { answers: answers.value, map: mapResult && mapResult.value, errors: errors, skipped: answers.skipped };
    }

    function apply(result) {
      writeAnswers(fields, result.answers);
      if (map) {
        if (result.map) map.write(result.map);
        else map.clear();
      }
      Array.prototype.forEach.call(form.querySelectorAll("textarea"), autoGrow);
    }

    function save() {
      var ok = hub.storage.save(storageKey, snapshot());
      savedNote.classList.toggle("hub-message--error", !ok);
      savedNote.textContent = ok
        ? hub.t("Saved in this browser at {time}.", { time: hub.clockTime(new Date()) })
        : hub.t("This browser is not letting the page keep your answers (private browsing can block it). Use Save to a file to keep a copy.");
    }

    function showError(fileName, reason) {
      status.textContent = "";
      errorBox.textContent = "";
      errorBox.appendChild(
        hub.el("p", { text: hub.t("The file {file} could not be opened. {reason} Your answers on this page have not changed.", { file: fileName, reason: reason }) })
      );
    }

    // Restore what was saved last time. A saved copy that no longer fits is left alone, not lost.
    var stored = hub.storage.load(storageKey);
    if (stored) {
      var restored = validateFile(stored);
      if (!restored.errors.length) {
        apply(restored);
        savedNote.textContent = hub.t("Your answers from last time are back. They are saved in this browser as you type.");
      }
    }

    form.addEventListener("input", function (event) {
      if (event.target.tagName === "TEXTAREA") autoGrow(event.target);
      save();
    });
    form.addEventListener("change", save);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      save();
    });
    if (map) map.onChange(save);

    tools.querySelector('[data-hub-action="export"]').addEventListener("click", function () {
      var data = snapshot();
      hub.downloadJson("councillor-hub-" + key + "-" + data.saved.slice(0, 10) + ".json", data);
      errorBox.textContent = "";
      hub.announce(status, hub.t("Your answers are being saved to a file in your downloads."));
    });

    tools.querySelector('[data-hub-action="import"]').addEventListener("click", function () {
      fileInput.click();
    });

    fileInput.addEventListener("change", function () {
      var file = fileInput.files && fileInput.files[0];
      if (!file) return;
      hub
        .readJsonFile(file)
        .then(function (data) {
          var result = validateFile(data);
          if (result.errors.length) {
            showError(file.name, result.errors.join(" "));
            return;
          }
          if (!isEmpty() && !window.confirm(hub.t("Replace the answers on this page with the ones in {file}?", { file: file.name }))) return;
          apply(result);
          save();
          errorBox.textContent = "";
          var note = result.skipped
            ? " " +
              hub.tn(
                result.skipped,
                "{count} answer in the file did not match a question on this page and was left out.",
                "{count} answers in the file did not match a question on this page and were left out."
              )
            : "";
          hub.announce(status, hub.t("Opened {file}. Its answers are now on this page.", { file: file.name }) + note);
        })
        .catch(function (err) {
          showError(file.name, err.message);
        })
        .then(function () {
          fileInput.value = "";
        });
    });

    tools.querySelector('[data-hub-action="print"]').addEventListener("click", function () {
      window.print();
    });

    tools.querySelector('[data-hub-action="clear"]').addEventListener("click", function () {
      var question = hub.t("Clear all your answers on this worksheet? This cannot be undone. Use Save to a file first if you want a copy.");
      if (!window.confirm(question)) return;
      form.reset();
      if (map) map.clear();
      Array.prototype.forEach.call(form.querySelectorAll("textarea"), autoGrow);
      hub.storage.remove(storageKey);
      errorBox.textContent = "";
      savedNote.textContent = hub.t("Saved automatically in this browser as you type.");
      hub.announce(status, hub.t("Your answers have been cleared."));
      var first = map ? map.firstField() : form.querySelector("input, textarea");
      if (first) first.focus();
    });

    Array.prototype.forEach.call(form.querySelectorAll("textarea"), autoGrow);
    tools.hidden = false;
  }

  hub.onReady(function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-hub-worksheet-tools]"), setUp);
  });
})();
