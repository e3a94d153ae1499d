/* Councillor Hub: a session's slides (issue 12), presented with reveal.js.
 *
 * Markup (overrides/hub/slides.md.j2): [data-hub-deck] > [data-hub-slides] > section, one per
 * slide, speaker notes in aside.notes. Without this script the slides read as one plain page;
 * with it they become a reveal.js presentation: arrow keys or space to move, F for full screen,
 * S for the speaker view (reveal.js's notes plugin), Esc for an overview.
 *
 * Classic script, loaded after the vendored UMD build of reveal.js (assets/vendor/reveal/), so it
 * also works from file:// in the offline copy of the hub.
 */
(function () {
  "use strict";

  var hub = window.CouncillorHub;
  var deck = document.querySelector("[data-hub-deck]");
  var slides = deck && deck.querySelector("[data-hub-slides]");
  if (!deck || !slides || !window.Reveal) return;

  deck.classList.add("reveal");
  slides.classList.add("slides");
  document.documentElement.classList.add("hub-deck-ready");

  /* reveal.js marks the deck role="application" (hakimel/reveal.js#3772). That forces screen
     readers out of browse mode, so a blind presenter or reader cannot read a slide line by line.
     The keys work without it (reveal.js listens on the document), so the deck becomes a named
     region again (as the page has it before reveal.js starts); its live region still announces each slide as it appears. */
  function mitigateApplicationRole() {
    deck.setAttribute("role", "region");
  }

  /* reveal.js's own words are English; put the page's language in their place. */
  function translateControls() {
    var labels = {
      ".navigate-left": hub.t("Previous slide"),
      ".navigate-right": hub.t("Next slide"),
      ".navigate-up": hub.t("Slide above"),
      ".navigate-down": hub.t("Slide below"),
    };
    Object.keys(labels).forEach(function (selector) {
      deck.querySelectorAll(".controls " + selector).forEach(function (button) {
        button.setAttribute("aria-label", labels[selector]);
      });
    });
    var resume = deck.querySelector(".resume-button");
    if (resume) resume.textContent = hub.t("Resume presentation");
    var notes = deck.querySelector(".speaker-notes");
    if (notes) notes.setAttribute("data-hub-label", hub.t("Speaker notes"));
  }

  var keys = document.querySelector("[data-hub-deck-keys]");
  if (keys) keys.hidden = false;

  var reducedMotion = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  window.Reveal.initialize({
    embedded: true, // the deck fills the space under the links bar; F makes the deck itself full screen
    hash: true, // the address keeps the slide, so a reload stays on it
    respondToHashChanges: true,
    controls: true,
    controlsTutorial: false,
    progress: true,
    slideNumber: "c/t",
    help: false, // its overlay is English only; the bar above the deck lists the keys instead
    transition: reducedMotion ? "none" : "fade",
    backgroundTransition: "none",
    width: 1280,
    height: 720,
    margin: 0.06,
    center: true,
    plugins: window.RevealNotes ? [window.RevealNotes] : [],
  }).then(function () {
    mitigateApplicationRole();
    translateControls();
    deck.setAttribute("data-hub-deck-ready", "");
  });
})();
