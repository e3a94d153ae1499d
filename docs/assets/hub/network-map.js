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

  // Drawing: three overlapping circles. Each region (a set of layers) has a place to list names.
  var CIRCLES = {
    offline: { cx: 225, cy: 215, title: [135, 100] },
    online: { cx: 375, cy: 215, title: [465, 100] },
    aspirational: { cx: 300, cy: 345, title: [300, 500] },
  };
  var RADIUS = 165;
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
    if (!isPlainObject(raw)) return { value: value, errors: ["The map is missing or is not a map."] };
    if (raw.start !== undefined) {
      if (!isPlainObject(raw.start)) errors.push("The starting point is not in the expected form.");
      else {
        var kind = raw.start.kind === undefined ? "" : raw.start.kind;
        if (kind !== "" && KINDS.indexOf(kind) === -1)
          errors.push('The starting point kind must be local, issue or campaign, not "' + String(kind) + '".');
        else value.start.kind = kind;
        var name = raw.start.name === undefined ? "" : raw.start.name;
        if (typeof name !== "string" || name.length > MAX_NAME)
          errors.push("The starting point name must be text of at most " + MAX_NAME + " characters.");
        else value.start.name = name.trim();
      }
    }
    if (!Array.isArray(raw.entries)) {
      errors.push("The map has no list of entries.");
      return { value: value, errors: errors };
    }
    if (raw.entries.length > MAX_ENTRIES) errors.push("The map has more than " + MAX_ENTRIES + " entries.");
    raw.entries.slice(0, MAX_ENTRIES).forEach(function (entry, index) {
      var where = "Entry " + (index + 1);
      if (!isPlainObject(entry)) {
        errors.push(where + " is not in the expected form.");
        return;
      }
      var problems = [];
      if (typeof entry.name !== "string" || !entry.name.trim()) problems.push("it has no name");
      else if (entry.name.length > MAX_NAME) problems.push("its name is longer than " + MAX_NAME + " characters");
      if (TYPES.indexOf(entry.type) === -1) problems.push("its type must be person, group or organisation");
      var layers = Array.isArray(entry.layers) ? entry.layers : null;
      if (!layers || !layers.length) problems.push("it must be on at least one layer");
      else {
        layers.forEach(function (layer) {
          if (LAYERS.indexOf(layer) === -1)
            problems.push('"' + String(layer) + '" is not a layer (use offline, online or aspirational)');
        });
      }
      if (entry.note !== undefined && (typeof entry.note !== "string" || entry.note.length > MAX_NOTE))
        problems.push("its note must be text of at most " + MAX_NOTE + " characters");
      var label = typeof entry.name === "string" && entry.name.trim() ? ' ("' + entry.name.trim() + '")' : "";
      if (problems.length) errors.push(where + label + ": " + problems.join("; ") + ".");
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

  function shorten(text, width) {
    return text.length > width ? text.slice(0, width - 1) + "\u2026" : text;
  }

  function svgEl(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (name) {
      node.setAttribute(name, String(attrs[name]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  /** Create the map part for one [data-hub-network-map] element. */
  hub.NetworkMap = function (root) {
    var app = root.querySelector(".hub-network-map__app");
    var addForm = root.querySelector("form.hub-map-add");
    var nameInput = addForm.querySelector('[name="name"]');
    var noteInput = addForm.querySelector('[name="note"]');
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
        : "nobody yet";
    }

    function startText() {
      var kind = state.start.kind ? kindLabel[state.start.kind] : "";
      if (kind && state.start.name) return kind + ": " + state.start.name;
      return kind || state.start.name || "";
    }

    function renderCaption() {
      var text = startText();
      caption.textContent = text ? "Starting point: " + text : "Starting point: not chosen yet";
    }

    function renderDrawing() {
      var titleId = root.getAttribute("data-hub-network-map") + "-svg-title";
      var svg = svgEl("svg", {
        viewBox: "0 45 600 475",
        class: "hub-map-svg",
        role: "img",
        "aria-labelledby": titleId,
        focusable: "false",
      });
      svg.appendChild(
        svgEl("title", { id: titleId }, "Diagram of your network map. The same map is described in words below it.")
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
      Object.keys(REGIONS).forEach(function (key) {
        var region = REGIONS[key];
        var entries = byRegion[key] || [];
        var shown = entries.length > region.lines ? entries.slice(0, region.lines - 1) : entries;
        shown.forEach(function (entry, i) {
          var text = svgEl(
            "text",
            { x: region.x, y: region.y + i * 17, class: "hub-map-name hub-map-name--" + entry.type, "text-anchor": "middle" },
            TYPE_MARK[entry.type] + " " + shorten(entry.name, region.width)
          );
          text.appendChild(svgEl("title", {}, entry.name + " (" + typeLabel[entry.type] + ")"));
          svg.appendChild(text);
        });
        if (shown.length < entries.length) {
          svg.appendChild(
            svgEl(
              "text",
              { x: region.x, y: region.y + shown.length * 17, class: "hub-map-more", "text-anchor": "middle" },
              "+ " + (entries.length - shown.length) + " more"
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
    }

    function renderWords() {
      words.textContent = "";
      var text = startText();
      words.appendChild(hub.el("p", { text: text ? "Starting point: " + text + "." : "No starting point chosen yet." }));
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
      words.appendChild(hub.el("p", {}, [hub.el("strong", { text: "Where the layers meet" })]));
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
        var label =
          set.length === 3 ? "All three layers" : layerLabel[set[0]] + " and " + layerLabel[set[1]].toLowerCase();
        return hub.el("li", {}, [label + " (" + entries.length + "): " + names(entries)]);
      });
      words.appendChild(hub.el("ul", { class: "hub-map-words__meets" }, meets));
      var connectors = state.entries.filter(function (e) {
        return e.layers.length > 1;
      });
      words.appendChild(
        hub.el("p", {
          text: connectors.length
            ? hub.plural(connectors.length, "connector", "connectors") +
              " (on more than one layer): " +
              names(connectors) +
              ". Start with them."
            : "Nobody is on more than one layer yet. Anyone who is becomes a connector.",
        })
      );
    }

    function renderList() {
      list.textContent = "";
      if (!state.entries.length) {
        list.appendChild(hub.el("li", { class: "hub-map-entries__empty", text: "Nobody yet. Add the first person, group or organisation above." }));
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
              "Change",
              hub.el("span", { class: "hub-visually-hidden", text: " " + entry.name }),
            ]),
            hub.el("button", { type: "button", class: "md-button hub-button--small", "data-remove": index }, [
              "Remove",
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
        .call(addForm.querySelectorAll('input[name="layers"]'), function (box) {
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

    function resetAddForm() {
      editing = -1;
      nameInput.value = "";
      noteInput.value = "";
      legend.textContent = "Add someone to your map";
      submitButton.textContent = "Add to map";
      cancelButton.hidden = true;
    }

    addForm.addEventListener("submit", function (event) {
      event.preventDefault();
      var name = nameInput.value.trim();
      var layers = chosenLayers();
      var type = (addForm.querySelector('input[name="type"]:checked') || { value: "person" }).value;
      setError(nameInput, nameError, !name);
      setError(layersFieldset, layersError, !layers.length);
      if (!name) {
        nameInput.focus();
        return;
      }
      if (!layers.length) {
        layersFieldset.querySelector("input").focus();
        return;
      }
      var note = noteInput.value.trim();
      var message;
      var focusAfter = nameInput;
      if (editing >= 0) {
        state.entries[editing] = { name: name, type: type, layers: layers, note: note };
        message = "Saved changes to " + name + ".";
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
          message = name + " was already on your map and is now on: " + layerList(same.layers) + ".";
        } else {
          state.entries.push({ name: name, type: type, layers: layers, note: note });
          message = "Added " + name + " (" + layerList(layers) + "). " + hub.plural(state.entries.length, "entry", "entries") + " on your map.";
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
        hub.announce(status, "Removed " + removed.name + ". " + hub.plural(state.entries.length, "entry", "entries") + " on your map.");
        var next = list.querySelector('[data-remove="' + Math.min(index, state.entries.length - 1) + '"]');
        (next || entriesTitle).focus();
      } else if (button.hasAttribute("data-edit")) {
        editing = Number(button.getAttribute("data-edit"));
        var entry = state.entries[editing];
        nameInput.value = entry.name;
        noteInput.value = entry.note;
        Array.prototype.forEach.call(addForm.querySelectorAll('input[name="type"]'), function (radio) {
          radio.checked = radio.value === entry.type;
        });
        Array.prototype.forEach.call(addForm.querySelectorAll('input[name="layers"]'), function (box) {
          box.checked = entry.layers.indexOf(box.value) !== -1;
        });
        legend.textContent = "Change " + entry.name;
        submitButton.textContent = "Save changes";
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
