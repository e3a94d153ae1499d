/* Printable pack: pick one day or two half-days, and a start time; the running order's clock
 * times, the parts shown and the PDF link follow, and so does the print of the page.
 *
 * Markup (overrides/hub/pack-page.html.j2, pack-body.html.j2): form[data-hub-pack-picker=<sprint>]
 * (hidden until this script runs), div[data-hub-pack=<sprint>] holding one
 * [data-hub-variant=<variant>] block per variant and time[data-hub-at=<minutes from the start>].
 * Without this script the default variant shows at the default time: the page is complete.
 * The choice is kept in the address (?variant=split&start=09:30), so it can be shared or bookmarked.
 */
(function () {
  "use strict";

  var hub = window.CouncillorHub;
  var DAY = 24 * 60;

  function pad(number) {
    return (number < 10 ? "0" : "") + number;
  }

  /** Minutes after midnight as 09:30. */
  function clock(minutes) {
    var wrapped = ((minutes % DAY) + DAY) % DAY;
    return pad(Math.floor(wrapped / 60)) + ":" + pad(wrapped % 60);
  }

  /** "09:30" or "9:30" as minutes after midnight, or null. */
  function parseClock(text) {
    var match = /^([01]?\d|2[0-3]):([0-5]\d)(:\d\d)?$/.exec(String(text || "").trim());
    return match ? Number(match[1]) * 60 + Number(match[2]) : null;
  }
  hub.packClock = clock;
  hub.packParseClock = parseClock;

  function setUp(form) {
    if (form.hasAttribute("data-hub-ready")) return;
    form.setAttribute("data-hub-ready", "");
    var sprint = form.getAttribute("data-hub-pack-picker");
    var pack = document.querySelector('[data-hub-pack="' + sprint + '"]');
    if (!pack) return;
    var radios = Array.prototype.slice.call(form.querySelectorAll('input[name="variant"]'));
    var startInput = form.querySelector('input[name="start"]');
    var status = form.querySelector("[data-hub-pack-status]");
    var error = form.querySelector("[data-hub-pack-error]");
    var defaultVariant = form.getAttribute("data-hub-default-variant");
    var defaultStart = form.getAttribute("data-hub-default-start");
    var pdfs = Array.prototype.slice.call(document.querySelectorAll("[data-hub-pdf]"));
    var printHint = document.querySelector("[data-hub-print-hint]");

    function chosenRadio() {
      return radios.filter(function (radio) {
        return radio.checked;
      })[0];
    }

    function labelOf(radio) {
      var label = form.querySelector('label[for="' + radio.id + '"]');
      return label ? label.textContent.trim() : radio.value;
    }

    function show(announce) {
      var radio = chosenRadio();
      var variant = radio ? radio.value : defaultVariant;
      var start = parseClock(startInput.value);
      if (start === null) {
        error.hidden = false;
        startInput.setAttribute("aria-invalid", "true");
        startInput.setAttribute("aria-describedby", error.id + " " + startInput.id + "-hint");
        return;
      }
      error.hidden = true;
      startInput.removeAttribute("aria-invalid");
      startInput.setAttribute("aria-describedby", startInput.id + "-hint");
      Array.prototype.forEach.call(pack.querySelectorAll("[data-hub-variant]"), function (block) {
        block.hidden = block.getAttribute("data-hub-variant") !== variant;
      });
      Array.prototype.forEach.call(pack.querySelectorAll("time[data-hub-at]"), function (time) {
        var text = clock(start + Number(time.getAttribute("data-hub-at")));
        time.textContent = text;
        time.setAttribute("datetime", text);
      });
      // A PDF is offered only for what it holds: its variant at the default start.
      var offered = 0;
      pdfs.forEach(function (pdf) {
        var match = pdf.getAttribute("data-hub-pdf") === variant && parseClock(pdf.getAttribute("data-hub-pdf-start")) === start;
        pdf.hidden = !match;
        if (match) offered += 1;
      });
      if (printHint) printHint.hidden = offered > 0;
      if (window.history && window.history.replaceState) {
        var query = variant === defaultVariant && start === parseClock(defaultStart) ? "" : "?variant=" + encodeURIComponent(variant) + "&start=" + clock(start);
        window.history.replaceState(null, "", window.location.pathname + query + window.location.hash);
      }
      if (announce) {
        hub.announce(status, hub.t("Showing {variant}, starting at {start}.", { variant: labelOf(radio), start: clock(start) }));
      }
    }

    var params = new URLSearchParams(window.location.search);
    var asked = params.get("variant");
    radios.forEach(function (radio) {
      if (asked && radio.value === asked) radio.checked = true;
    });
    var askedStart = parseClock(params.get("start"));
    if (askedStart !== null) startInput.value = clock(askedStart);

    form.hidden = false;
    form.addEventListener("change", function () {
      show(true);
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show(true);
    });
    form.querySelector("[data-hub-pack-print]").addEventListener("click", function () {
      window.print();
    });
    show(false);
  }

  hub.onReady(function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-hub-pack-picker]"), setUp);
  });
})();
