/* Tool finder: filter the tool catalogue by need, platform, cost and difficulty in place.
 *
 * Markup (overrides/hub/tools-index.md.j2): div[data-hub-tool-finder] holds the filter form
 * (hidden until this script runs, so without JavaScript the full catalogue is just listed);
 * each tool is div.hub-tool with data-category, data-platforms (space separated ids),
 * data-cost and data-difficulty; each category is div[data-hub-tool-group].
 * The chosen filters go in the address (?category=...&cost=...) so a filtered list can be shared.
 */
(function () {
  "use strict";

  var hub = window.CouncillorHub;
  var FILTERS = ["category", "platform", "cost", "difficulty"];

  /** Does a tool's data match every chosen filter? An empty filter matches everything. */
  function toolMatches(data, chosen) {
    return (
      (!chosen.category || data.category === chosen.category) &&
      (!chosen.platform || (data.platforms || "").split(/\s+/).indexOf(chosen.platform) !== -1) &&
      (!chosen.cost || data.cost === chosen.cost) &&
      (!chosen.difficulty || data.difficulty === chosen.difficulty)
    );
  }
  hub.toolMatches = toolMatches;

  function setUp(finder) {
    if (finder.hasAttribute("data-hub-ready")) return;
    finder.setAttribute("data-hub-ready", "");
    var form = finder.querySelector("form");
    var count = finder.querySelector(".hub-tool-finder__count");
    var tools = Array.prototype.slice.call(document.querySelectorAll(".hub-tool"));
    var groups = Array.prototype.slice.call(document.querySelectorAll("[data-hub-tool-group]"));

    function chosen() {
      var values = {};
      FILTERS.forEach(function (name) {
        values[name] = form.elements[name] ? form.elements[name].value : "";
      });
      return values;
    }

    // Keep the page's table of contents in step, so it never links to a hidden tool. Material
    // draws it twice (beside the page, and inside the menu on small screens): update both.
    function showInContents(id, shown) {
      Array.prototype.forEach.call(document.querySelectorAll('.md-nav--secondary a[href="#' + id + '"]'), function (link) {
        link.parentElement.hidden = !shown;
      });
    }

    function update(announce) {
      var values = chosen();
      var shown = 0;
      tools.forEach(function (tool) {
        var match = toolMatches(tool.dataset, values);
        tool.hidden = !match;
        if (match) shown += 1;
        var heading = tool.querySelector("h3[id]");
        if (heading) showInContents(heading.id, match);
      });
      groups.forEach(function (group) {
        var empty = !group.querySelector(".hub-tool:not([hidden])");
        group.hidden = empty;
        var heading = group.querySelector("h2[id]");
        if (heading) showInContents(heading.id, !empty);
      });
      var filtered = FILTERS.some(function (name) {
        return values[name];
      });
      var text = filtered
        ? shown === 0
          ? hub.t("No tools match. Choose fewer filters, or Show all tools.")
          : hub.tn(shown, "{count} tool matches your choices.", "{count} tools match your choices.")
        : hub.tn(shown, "Showing all {count} tool.", "Showing all {count} tools.");
      if (announce) hub.announce(count, text);
      else count.textContent = text;

      var params = new URLSearchParams(window.location.search);
      FILTERS.forEach(function (name) {
        if (values[name]) params.set(name, values[name]);
        else params.delete(name);
      });
      var query = params.toString();
      window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
    }

    // Start from filters in the address, ignoring values this catalogue does not offer.
    var params = new URLSearchParams(window.location.search);
    FILTERS.forEach(function (name) {
      var select = form.elements[name];
      var wanted = params.get(name);
      if (
        select &&
        wanted &&
        Array.prototype.some.call(select.options, function (option) {
          return option.value === wanted;
        })
      )
        select.value = wanted;
    });

    form.addEventListener("change", function () {
      update(true);
    });
    form.addEventListener("reset", function () {
      // The reset event fires before the fields are reset.
      window.setTimeout(function () {
        update(true);
      }, 0);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      update(true);
    });
    finder.hidden = false;
    update(false);
  }

  hub.onReady(function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-hub-tool-finder]"), setUp);
  });
})();
