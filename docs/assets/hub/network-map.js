/* Network map: people, groups and organisations on three layers (offline, online,
 * aspirational), drawn as three overlapping circles and described in words.
 *
 * Markup: overrides/hub/_network-map.md.j2. This file only provides the map as a "part" of
 * the worksheet page; docs/assets/hub/worksheet.js saves it, exports it and imports it
 * together with the page's other answers (one file per worksheet).
 *
 * Saved shape (inside the worksheet file, under "map"):
 *   {"start": {"kind": "local" | "issue" | "campaign" | "", "name": "..."},
 *    "entries": [{"name": "...", "type": "person" | "group" | "organisation",
 *                 "layers": ["offline", "online", "aspirational"], "note": "..."}]}
 *
 * The starting point is asked once, above the map (issue 13): it frames both the map and the
 * worksheet's questions below it ("who do you talk to about this?"), and is saved under "start".
 */
(function () {
  "use strict";

  var hub = window.CouncillorHub;
  var SVG = "http://www.w3.org/2000/svg";
  var LAYERS = ["offline", "online", "aspirational"];
  var TYPES = ["person", "group", "organisation"];
  var KINDS = ["local", "issue", "campaign"];
  var MAX_ENTRIES = 500;
  var MAX_NAME = 200;
  var MAX_NOTE = 1000;
  var TYPE_MARK = { person: "\u25CF", group: "\u25A0", organisation: "\u25C6" };
  // Until issue 13 the worksheet also asked for the starting point in a section of its own. Files
  // and browsers that still hold those answers keep them: they fill an empty starting point.
  var OLD_START_ANSWERS = { kind: "entry-point--map-type", name: "entry-point--map-focus" };

  // Drawing: three overlapping circles. Each region (a set of layers) has a place to list names.
  var CIRCLES = {
    offline: { cx: 225, cy: 215, title: [135, 100] },
    online: { cx: 375, cy: 215, title: [465, 100] },
    aspirational: { cx: 300, cy: 345, title: [300, 500] },
  };
  var RADIUS = 165;
  // Where each region (a set of layers) lists its names: centre, lines of text, characters a line.
  // A name longer than a line wraps onto the next; see wrapName.
  var LINE_HEIGHT = 16;
  var MAX_NAME_LINES = 3;
  var REGIONS = {
    offline: { x: 135, y: 130, lines: 7, width: 16 },
    online: { x: 465, y: 130, lines: 7, width: 16 },
    aspirational: { x: 300, y: 398, lines: 5, width: 22 },
    "offline+online": { x: 300, y: 100, lines: 4, width: 12 },
    "offline+aspirational": { x: 198, y: 318, lines: 3, width: 11 },
    "online+aspirational": { x: 402, y: 318, lines: 3, width: 11 },
    "offline+online+aspirational": { x: 300, y: 232, lines: 5, width: 12 },
  };

  function isPlainObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  /**
   * Check map data from a file or from storage. Returns {value, errors}: value is a clean copy
   * (only known fields), errors a list of sentences naming each problem and where it is.
   */
  function validateMap(raw) {
    var errors = [];
    var value = { start: { kind: "", name: "" }, entries: [] };
    if (!isPlainObject(raw)) return { value: value, errors: [hub.t("The map is missing or is not a map.")] };
    if (raw.start !== undefined) {
      if (!isPlainObject(raw.start)) errors.push(hub.t("The starting point is not in the expected form."));
      else {
        var kind = raw.start.kind === undefined ? "" : raw.start.kind;
        if (kind !== "" && KINDS.indexOf(kind) === -1)
          errors.push(hub.t('The starting point kind must be local, issue or campaign, not "{kind}".', { kind: String(kind) }));
        else value.start.kind = kind;
        var name = raw.start.name === undefined ? "" : raw.start.name;
        if (typeof name !== "string" || name.length > MAX_NAME)
          errors.push(hub.t("The starting point name must be text of at most {max} characters.", { max: MAX_NAME }));
        else value.start.name = name.trim();
      }
    }
    if (!Array.isArray(raw.entries)) {
      errors.push(hub.t("The map has no list of entries."));
      return { value: value, errors: errors };
    }
    if (raw.entries.length > MAX_ENTRIES) errors.push(hub.t("The map has more than {max} entries.", { max: MAX_ENTRIES }));
    raw.entries.slice(0, MAX_ENTRIES).forEach(function (entry, index) {
      if (!isPlainObject(entry)) {
        errors.push(hub.t("Entry {number} is not in the expected form.", { number: index + 1 }));
        return;
      }
      var problems = [];
      if (typeof entry.name !== "string" || !entry.name.trim()) problems.push(hub.t("it has no name"));
      else if (entry.name.length > MAX_NAME)
        problems.push(hub.t("its name is longer than {max} characters", { max: MAX_NAME }));
      if (TYPES.indexOf(entry.type) === -1) problems.push(hub.t("its type must be person, group or organisation"));
      var layers = Array.isArray(entry.layers) ? entry.layers : null;
      if (!layers || !layers.length) problems.push(hub.t("it must be on at least one layer"));
      else {
        layers.forEach(function (layer) {
          if (LAYERS.indexOf(layer) === -1)
            problems.push(hub.t('"{layer}" is not a layer (use offline, online or aspirational)', { layer: String(layer) }));
        });
      }
      if (entry.note !== undefined && (typeof entry.note !== "string" || entry.note.length > MAX_NOTE))
        problems.push(hub.t("its note must be text of at most {max} characters", { max: MAX_NOTE }));
      var named = typeof entry.name === "string" && entry.name.trim() ? entry.name.trim() : "";
      if (problems.length)
        errors.push(
          named
            ? hub.t('Entry {number} ("{name}"): {problems}.', { number: index + 1, name: named, problems: problems.join("; ") })
            : hub.t("Entry {number}: {problems}.", { number: index + 1, problems: problems.join("; ") })
        );
      else
        value.entries.push({
          name: entry.name.trim(),
          type: entry.type,
          layers: LAYERS.filter(function (layer) {
            return layers.indexOf(layer) !== -1;
          }),
          note: (entry.note || "").trim(),
        });
    });
    return { value: value, errors: errors };
  }
  hub.validateMap = validateMap;

  function regionKey(layers) {
    return LAYERS.filter(function (layer) {
      return layers.indexOf(layer) !== -1;
    }).join("+");
  }

  /**
   * A name as lines of at most width characters, broken between words (a word longer than a line
   * is split with a hyphen). Returns {lines, cut}: after maxLines the last line ends in an ellipsis
   * and cut is true, so the drawing says a name is shortened; it is never cut silently, and the
   * full name is in the diagram's tooltip, in "Your map in words" and in the list.
   */
  function wrapName(text, width, maxLines) {
    var lines = [];
    var line = "";
    text.split(/\s+/).forEach(function (word) {
      while (word.length > width) {
        if (line) {
          lines.push(line);
          line = "";
        }
        lines.push(word.slice(0, width - 1) + "-");
        word = word.slice(width - 1);
      }
      if (!word) return;
      if (!line) line = word;
      else if ((line + " " + word).length <= width) line += " " + word;
      else {
        lines.push(line);
        line = word;
      }
    });
    if (line) lines.push(line);
    if (lines.length <= maxLines) return { lines: lines, cut: false };
    lines = lines.slice(0, maxLines);
    var last = lines[maxLines - 1];
    lines[maxLines - 1] = (last.length >= width ? last.slice(0, width - 1) : last) + "\u2026";
    return { lines: lines, cut: true };
  }
  hub.wrapName = wrapName;

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, String(attrs[name]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /**
   * A worksheet file or stored copy with a starting point from the worksheet's old first section
   * (OLD_START_ANSWERS) moved into the map, when the map has none yet; those answers are then
   * dropped, so they are not reported as questions this page no longer has. kindLabels maps
   * local/issue/campaign to the words the page shows for them.
   */
  function adoptOldStart(data, kindLabels) {
    var answers = isPlainObject(data.answers) ? data.answers : null;
    if (!answers || !(OLD_START_ANSWERS.kind in answers || OLD_START_ANSWERS.name in answers)) return data;
    var copy = JSON.parse(JSON.stringify(data));
    var oldKind = copy.answers[OLD_START_ANSWERS.kind];
    var oldName = copy.answers[OLD_START_ANSWERS.name];
    delete copy.answers[OLD_START_ANSWERS.kind];
    delete copy.answers[OLD_START_ANSWERS.name];
    if (!isPlainObject(copy.map)) return copy;
    var start = isPlainObject(copy.map.start) ? copy.map.start : { kind: "", name: "" };
    if (!start.kind && typeof oldKind === "string") {
      // The old answer was the option's words, such as "Local: a place, such as my ward".
      var said = oldKind.toLowerCase();
      KINDS.forEach(function (kind) {
        var label = (kindLabels[kind] || kind).toLowerCase();
        if (!start.kind && (said.indexOf(label) === 0 || said.indexOf(kind) === 0)) start.kind = kind;
      });
    }
    if (!start.name && typeof oldName === "string") start.name = oldName.slice(0, MAX_NAME);
    copy.map.start = start;
    return copy;
  }
  hub.adoptOldMapStart = adoptOldStart;

  /** Create the map part for one [data-hub-network-map] element. */
  hub.NetworkMap = function (root) {
    var app = root.querySelector(".hub-network-map__app");
    var addForm = root.querySelector("form.hub-map-add");
    var nameInput = addForm.querySelector('[name="name"]');
    var noteInput = addForm.querySelector('[name="note"]');
    var typeRadios = addForm.querySelectorAll('input[name="type"]');
    var layerBoxes = addForm.querySelectorAll('input[name="layers"]');
    var layersFieldset = addForm.querySelector("#hub-map-entry-layers");
    var nameError = root.querySelector("#hub-map-entry-name-error");
    var layersError = root.querySelector("#hub-map-entry-layers-error");
    var legend = addForm.querySelector("[data-hub-map-legend]");
    var submitButton = addForm.querySelector("[data-hub-map-submit]");
    var cancelButton = addForm.querySelector("[data-hub-map-cancel]");
    var startName = root.querySelector("#hub-map-start-name");
    var startKinds = root.querySelectorAll('input[name="hub-map-start-kind"]');
    var caption = root.querySelector("[data-hub-map-caption]");
    var drawing = root.querySelector("[data-hub-map-drawing]");
    var words = root.querySelector("[data-hub-map-words]");
    var list = root.querySelector("[data-hub-map-entries]");
    var status = root.querySelector("[data-hub-map-status]");
    var entriesTitle = root.querySelector("#hub-map-entries-title");
    // The form's own words, in the page's language, to put back after changing an entry.
    var addLegend = legend.textContent;
    var addLabel = submitButton.textContent;
    var defaultType = (addForm.querySelector('input[name="type"]:checked') || typeRadios[0]).value;

    // The words for layers, types and kinds come from the template (data-label).
    function labelsFrom(selector) {
      var labels = {};
      Array.prototype.forEach.call(root.querySelectorAll(selector), function (input) {
        labels[input.value] = input.getAttribute("data-label") || input.value;
      });
      return labels;
    }
    var layerLabel = labelsFrom('input[name="layers"]');
    var typeLabel = labelsFrom('input[name="type"]');
    var kindLabel = labelsFrom('input[name="hub-map-start-kind"]');

    var state = { start: { kind: "", name: "" }, entries: [] };
    var editing = -1;
    var listeners = [];

    function changed() {
      render();
      listeners.forEach(function (fn) {
        fn();
      });
    }

    function layerList(layers) {
      return layers
        .map(function (layer) {
          return layerLabel[layer];
        })
        .join(", ");
    }

    function names(entries) {
      return entries.length
        ? entries
            .map(function (e) {
              return e.name;
            })
            .join(", ")
        : hub.t("nobody yet");
    }

    function startText() {
      var kind = state.start.kind ? kindLabel[state.start.kind] : "";
      if (kind && state.start.name) return hub.t("{kind}: {name}", { kind: kind, name: state.start.name });
      return kind || state.start.name || "";
    }

    function renderCaption() {
      var text = startText();
      caption.textContent = text
        ? hub.t("Starting point: {start}", { start: text })
        : hub.t("Starting point: not chosen yet");
    }

    function renderDrawing() {
      var titleId = root.getAttribute("data-hub-network-map") + "-svg-title";
      var svg = svgEl("svg", {
        viewBox: "50 45 500 470",
        class: "hub-map-svg",
        role: "img",
        "aria-labelledby": titleId,
        focusable: "false",
      });
      svg.appendChild(
        svgEl("title", { id: titleId }, hub.t("Diagram of your network map. The same map is described in words below it."))
      );
      LAYERS.forEach(function (layer) {
        var c = CIRCLES[layer];
        svg.appendChild(svgEl("circle", { cx: c.cx, cy: c.cy, r: RADIUS, class: "hub-map-layer hub-map-layer--" + layer }));
      });
      LAYERS.forEach(function (layer) {
        var c = CIRCLES[layer];
        svg.appendChild(
          svgEl("text", { x: c.title[0], y: c.title[1], class: "hub-map-layer-title", "text-anchor": "middle" }, layerLabel[layer])
        );
      });
      var byRegion = {};
      state.entries.forEach(function (entry) {
        var key = regionKey(entry.layers);
        (byRegion[key] = byRegion[key] || []).push(entry);
      });
      var shortened = false;
      Object.keys(REGIONS).forEach(function (key) {
        var region = REGIONS[key];
        var entries = byRegion[key] || [];
        var line = 0;
        var shown = 0;
        entries.some(function (entry, i) {
          var last = i === entries.length - 1;
          // Keep a line for "+ n more" unless this is the last name.
          var room = region.lines - line - (last ? 0 : 1);
          if (room < 1) return true;
          // The type mark and a space take two characters of the first line. A name that needs
          // more lines than are left goes under "+ n more" rather than being cut to a stub.
          var wrapped = wrapName(entry.name, region.width - 2, MAX_NAME_LINES);
          if (wrapped.lines.length > room) return true;
          var text = svgEl("text", {
            y: region.y + line * LINE_HEIGHT,
            class: "hub-map-name hub-map-name--" + entry.type,
            "text-anchor": "middle",
          });
          wrapped.lines.forEach(function (part, n) {
            text.appendChild(
              svgEl("tspan", { x: region.x, dy: n ? LINE_HEIGHT : 0 }, (n ? "" : TYPE_MARK[entry.type] + " ") + part)
            );
          });
          text.appendChild(svgEl("title", {}, entry.name + " (" + typeLabel[entry.type] + ")"));
          svg.appendChild(text);
          shortened = shortened || wrapped.cut;
          line += wrapped.lines.length;
          shown += 1;
          return false;
        });
        if (shown < entries.length) {
          shortened = true;
          svg.appendChild(
            svgEl(
              "text",
              { x: region.x, y: region.y + line * LINE_HEIGHT, class: "hub-map-more", "text-anchor": "middle" },
              hub.tn(entries.length - shown, "+ {count} more", "+ {count} more")
            )
          );
        }
      });
      drawing.textContent = "";
      drawing.appendChild(svg);
      drawing.appendChild(
        hub.el("p", { class: "hub-map-legend" }, [
          Object.keys(TYPE_MARK)
            .map(function (type) {
              return TYPE_MARK[type] + " " + typeLabel[type];
            })
            .join("   "),
        ])
      );
      if (shortened)
        drawing.appendChild(
          hub.el("p", {
            class: "hub-map-shortened",
            "data-hub-map-shortened": true,
            text: hub.t(
              "Some names are shortened (\u2026) or left off the diagram (+ more) to fit. Every name is in full in \u201cYour map in words\u201d and in the list below."
            ),
          })
        );
    }

    function renderWords() {
      words.textContent = "";
      var text = startText();
      words.appendChild(
        hub.el("p", {
          text: text ? hub.t("Starting point: {start}.", { start: text }) : hub.t("No starting point chosen yet."),
        })
      );
      var onLayer = function (layer) {
        return state.entries.filter(function (e) {
          return e.layers.indexOf(layer) !== -1;
        });
      };
      var layerItems = LAYERS.map(function (layer) {
        var entries = onLayer(layer);
        return hub.el("li", {}, [
          hub.el("strong", { text: layerLabel[layer] }),
          " (" + entries.length + "): " + names(entries),
        ]);
      });
      words.appendChild(hub.el("ul", { class: "hub-map-words__layers" }, layerItems));
      words.appendChild(hub.el("p", {}, [hub.el("strong", { text: hub.t("Where the layers meet") })]));
      /* Each pair is one whole phrase, so a language joins it its own way (Welsh needs "ac"
         before a vowel: "All-lein ac ar-lein", but "All-lein a dyheadol"). */
      var pairLabel = {
        "offline online": hub.t("Offline and online"),
        "offline aspirational": hub.t("Offline and aspirational"),
        "online aspirational": hub.t("Online and aspirational"),
      };
      var meets = [
        ["offline", "online"],
        ["offline", "aspirational"],
        ["online", "aspirational"],
        LAYERS,
      ].map(function (set) {
        var entries = state.entries.filter(function (e) {
          return set.every(function (layer) {
            return e.layers.indexOf(layer) !== -1;
          });
        });
        var label = set.length === 3 ? hub.t("All three layers") : pairLabel[set.join(" ")];
        return hub.el("li", {}, [label + " (" + entries.length + "): " + names(entries)]);
      });
      words.appendChild(hub.el("ul", { class: "hub-map-words__meets" }, meets));
      var connectors = state.entries.filter(function (e) {
        return e.layers.length > 1;
      });
      words.appendChild(
        hub.el("p", {
          text: connectors.length
            ? hub.tn(
                connectors.length,
                "{count} connector (on more than one layer): {names}. Start with them.",
                "{count} connectors (on more than one layer): {names}. Start with them.",
                { names: names(connectors) }
              )
            : hub.t("Nobody is on more than one layer yet. Anyone who is becomes a connector."),
        })
      );
    }

    function renderList() {
      list.textContent = "";
      if (!state.entries.length) {
        list.appendChild(
          hub.el("li", {
            class: "hub-map-entries__empty",
            text: hub.t("Nobody yet. Add the first person, group or organisation above."),
          })
        );
        return;
      }
      state.entries.forEach(function (entry, index) {
        var details = typeLabel[entry.type] + "; " + layerList(entry.layers);
        var item = hub.el("li", { class: "hub-map-entry" }, [
          hub.el("span", { class: "hub-map-entry__name", text: entry.name }),
          " ",
          hub.el("span", { class: "hub-map-entry__details", text: "(" + details + ")" }),
          entry.note ? hub.el("span", { class: "hub-map-entry__note", text: " " + entry.note }) : null,
          hub.el("span", { class: "hub-map-entry__buttons hub-no-print" }, [
            hub.el("button", { type: "button", class: "md-button hub-button--small", "data-edit": index }, [
              hub.t("Change"),
              hub.el("span", { class: "hub-visually-hidden", text: " " + entry.name }),
            ]),
            hub.el("button", { type: "button", class: "md-button hub-button--small", "data-remove": index }, [
              hub.t("Remove"),
              hub.el("span", { class: "hub-visually-hidden", text: " " + entry.name }),
            ]),
          ]),
        ]);
        list.appendChild(item);
      });
    }

    function render() {
      renderCaption();
      renderDrawing();
      renderWords();
      renderList();
    }

    function chosenLayers() {
      return Array.prototype.filter
        .call(layerBoxes, function (box) {
          return box.checked;
        })
        .map(function (box) {
          return box.value;
        });
    }

    function setError(input, message, shown) {
      message.hidden = !shown;
      var target = input.tagName === "FIELDSET" ? input.querySelector("input") : input;
      var describedBy = (target.getAttribute("aria-describedby") || "").split(" ").filter(function (id) {
        return id && id !== message.id;
      });
      if (shown) describedBy.unshift(message.id);
      target.setAttribute("aria-describedby", describedBy.join(" "));
      if (input.tagName === "FIELDSET") input.classList.toggle("hub-field--error", shown);
      else input.setAttribute("aria-invalid", shown ? "true" : "false");
    }

    /**
     * Empty the form for the next person: name, note, type and layers back to how the page
     * started, and no error shown. (Issue 13: ticked layers used to stay ticked, so the next
     * person added inherited them.)
     */
    function resetAddForm() {
      editing = -1;
      nameInput.value = "";
      noteInput.value = "";
      Array.prototype.forEach.call(typeRadios, function (radio) {
        radio.checked = radio.value === defaultType;
      });
      Array.prototype.forEach.call(layerBoxes, function (box) {
        box.checked = false;
      });
      setError(nameInput, nameError, false);
      setError(layersFieldset, layersError, false);
      legend.textContent = addLegend;
      submitButton.textContent = addLabel;
      cancelButton.hidden = true;
    }

    addForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = nameInput.value.trim();
      var layers = chosenLayers();
      var type = (addForm.querySelector('input[name="type"]:checked') || { value: defaultType }).value;
      setError(nameInput, nameError, !name);
      setError(layersFieldset, layersError, !layers.length);
      if (!name) {
        nameInput.focus();
        return;
      }
      if (!layers.length) {
        layerBoxes[0].focus();
        return;
      }
      var note = noteInput.value.trim();
      var message;
      var focusAfter = nameInput;
      if (editing >= 0) {
        state.entries[editing] = { name: name, type: type, layers: layers, note: note };
        message = hub.t("Saved changes to {name}.", { name: name });
        var changedIndex = editing;
        resetAddForm();
        changed();
        focusAfter = list.querySelector('[data-edit="' + changedIndex + '"]') || nameInput;
      } else {
        var same = state.entries.filter(function (e) {
          return e.name.toLowerCase() === name.toLowerCase() && e.type === type;
        })[0];
        if (same) {
          // The same person added on another layer is one connector, not two people.
          same.layers = LAYERS.filter(function (layer) {
            return same.layers.indexOf(layer) !== -1 || layers.indexOf(layer) !== -1;
          });
          if (note) same.note = note;
          message = hub.t("{name} was already on your map and is now on: {layers}.", {
            name: name,
            layers: layerList(same.layers),
          });
        } else {
          state.entries.push({ name: name, type: type, layers: layers, note: note });
          message = hub.tn(
            state.entries.length,
            "Added {name} ({layers}). {count} entry on your map.",
            "Added {name} ({layers}). {count} entries on your map.",
            { name: name, layers: layerList(layers) }
          );
        }
        resetAddForm();
        changed();
      }
      hub.announce(status, message);
      focusAfter.focus();
    });

    cancelButton.addEventListener("click", function () {
      var index = editing;
      resetAddForm();
      var button = list.querySelector('[data-edit="' + index + '"]');
      if (button) button.focus();
    });

    list.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.hasAttribute("data-remove")) {
        var index = Number(button.getAttribute("data-remove"));
        var removed = state.entries.splice(index, 1)[0];
        if (editing === index) resetAddForm();
        else if (editing > index) editing -= 1;
        changed();
        hub.announce(
          status,
          hub.tn(state.entries.length, "Removed {name}. {count} entry on your map.", "Removed {name}. {count} entries on your map.", {
            name: removed.name,
          })
        );
        var next = list.querySelector('[data-remove="' + Math.min(index, state.entries.length - 1) + '"]');
        (next || entriesTitle).focus();
      } else if (button.hasAttribute("data-edit")) {
        resetAddForm();
        editing = Number(button.getAttribute("data-edit"));
        var entry = state.entries[editing];
        nameInput.value = entry.name;
        noteInput.value = entry.note;
        Array.prototype.forEach.call(typeRadios, function (radio) {
          radio.checked = radio.value === entry.type;
        });
        Array.prototype.forEach.call(layerBoxes, function (box) {
          box.checked = entry.layers.indexOf(box.value) !== -1;
        });
        legend.textContent = hub.t("Change {name}", { name: entry.name });
        submitButton.textContent = hub.t("Save changes");
        cancelButton.hidden = false;
        nameInput.focus();
      }
    });

    function readStart() {
      var kind = "";
      Array.prototype.forEach.call(startKinds, function (radio) {
        if (radio.checked) kind = radio.value;
      });
      state.start = { kind: kind, name: startName.value.trim() };
      changed();
    }
    Array.prototype.forEach.call(startKinds, function (radio) {
      radio.addEventListener("change", readStart);
    });
    startName.addEventListener("input", readStart);

    function writeStart() {
      Array.prototype.forEach.call(startKinds, function (radio) {
        radio.checked = radio.value === state.start.kind;
      });
      startName.value = state.start.name;
    }

    entriesTitle.setAttribute("tabindex", "-1");
    app.hidden = false;
    var fallback = root.querySelector(".hub-network-map__nojs");
    if (fallback) fallback.hidden = true;
    render();

    return {
      key: "map",
      read: function () {
        return JSON.parse(JSON.stringify(state));
      },
      validate: validateMap,
      upgrade: function (data) {
        return adoptOldStart(data, kindLabel);
      },
      write: function (value) {
        state = JSON.parse(JSON.stringify(value));
        resetAddForm();
        writeStart();
        render();
      },
      clear: function () {
        state = { start: { kind: "", name: "" }, entries: [] };
        resetAddForm();
        writeStart();
        render();
      },
      isEmpty: function () {
        return !state.entries.length && !state.start.kind && !state.start.name;
      },
      onChange: function (fn) {
        listeners.push(fn);
      },
      firstField: function () {
        return startKinds[0];
      },
    };
  };
})();
