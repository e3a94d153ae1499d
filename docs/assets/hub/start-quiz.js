/* "Where do I start?": score the quiz in the browser and point to a persona's pathway.
 *
 * Markup (overrides/hub/start-index.md.j2): form[data-hub-quiz] with one radio group per
 * question, each radio carrying data-points='{"persona-id": n}', and one heading per persona
 * with data-persona="id" whose first link goes to that persona's page. Routing lives in
 * content/toolkits/start.yml; nothing here knows a persona or question by name.
 */
(function () {
  "use strict";

  var hub = window.CouncillorHub;
  var STORAGE_KEY = "start-quiz";

  /**
   * The persona the answers point to: the highest total of points, and on a tie the persona
   * that comes first on the page (personaOrder). pointsPerAnswer is a list of {id: points}.
   * Returns {persona, scores}; persona is null when nothing scored.
   */
  function scoreQuiz(pointsPerAnswer, personaOrder) {
    var scores = {};
    personaOrder.forEach(function (id) {
      scores[id] = 0;
    });
    pointsPerAnswer.forEach(function (points) {
      Object.keys(points).forEach(function (id) {
        if (Object.prototype.hasOwnProperty.call(scores, id)) scores[id] += Number(points[id]) || 0;
      });
    });
    var best = null;
    personaOrder.forEach(function (id) {
      if (scores[id] > 0 && (best === null || scores[id] > scores[best])) best = id;
    });
    return { persona: best, scores: scores };
  }
  hub.scoreQuiz = scoreQuiz;

  function personasOnPage() {
    return Array.prototype.map.call(document.querySelectorAll("[data-persona]"), function (heading) {
      var link = heading.querySelector("a:not(.headerlink)");
      var summary = heading.nextElementSibling;
      return {
        id: heading.getAttribute("data-persona"),
        name: (link || heading).textContent.trim(),
        href: link ? link.getAttribute("href") : "#" + heading.id,
        summary: summary && summary.tagName === "P" ? summary.textContent.trim() : "",
      };
    });
  }

  function questionsIn(form) {
    return Array.prototype.filter.call(form.querySelectorAll("fieldset"), function (fieldset) {
      return fieldset.querySelector('input[type="radio"]');
    });
  }

  function setUp(form) {
    if (form.hasAttribute("data-hub-ready")) return;
    form.setAttribute("data-hub-ready", "");
    var personas = personasOnPage();
    var byId = {};
    personas.forEach(function (p) {
      byId[p.id] = p;
    });
    var order = personas.map(function (p) {
      return p.id;
    });
    var result = form.querySelector(".hub-quiz__result");
    var actions = form.querySelector(".hub-quiz__actions");
    var questions = questionsIn(form);

    function showResult(personaId, intro) {
      var persona = byId[personaId];
      result.textContent = "";
      result.classList.remove("hub-quiz__result--error");
      var heading = hub.el("p", { class: "hub-quiz__match" }, [
        intro + " ",
        hub.el("a", { href: persona.href, text: persona.name }),
      ]);
      result.appendChild(heading);
      if (persona.summary) result.appendChild(hub.el("p", { text: persona.summary }));
      result.appendChild(
        hub.el("p", {
          text: hub.t("Follow the link to see your pathway. You can read the other starting points below at any time."),
        })
      );
    }

    function showError(unanswered) {
      var numbers = unanswered.map(function (fieldset) {
        return questions.indexOf(fieldset) + 1;
      });
      result.textContent = "";
      result.classList.add("hub-quiz__result--error");
      var text = hub.tn(
        numbers.length,
        "Answer every question first. Still to answer: question {numbers}.",
        "Answer every question first. Still to answer: questions {numbers}.",
        { numbers: numbers.join(", ") }
      );
      result.appendChild(hub.el("p", { text: text }));
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var unanswered = questions.filter(function (fieldset) {
        return !fieldset.querySelector("input:checked");
      });
      if (unanswered.length) {
        showError(unanswered);
        // Take the councillor straight to the first question they missed.
        unanswered[0].querySelector('input[type="radio"]').focus();
        return;
      }
      var chosen = Array.prototype.slice.call(form.querySelectorAll('input[type="radio"]:checked'));
      var outcome = scoreQuiz(
        chosen.map(function (input) {
          return JSON.parse(input.getAttribute("data-points") || "{}");
        }),
        order
      );
      if (!outcome.persona) return;
      var answers = {};
      chosen.forEach(function (input) {
        answers[input.name] = input.value;
      });
      hub.storage.save(STORAGE_KEY, { persona: outcome.persona, answers: answers, saved: new Date().toISOString() });
      showResult(outcome.persona, hub.t("Your starting point:"));
    });

    form.querySelector("[data-hub-quiz-reset]").addEventListener("click", function () {
      form.reset();
      hub.storage.remove(STORAGE_KEY);
      result.classList.remove("hub-quiz__result--error");
      result.textContent = "";
      hub.announce(result, hub.t("Your answers have been cleared."));
      var first = form.querySelector('input[type="radio"]');
      if (first) first.focus();
    });

    actions.hidden = false;

    // Bring back last time's answers and result, if the personas still exist.
    var saved = hub.storage.load(STORAGE_KEY);
    if (saved && saved.persona && byId[saved.persona]) {
      Object.keys(saved.answers || {}).forEach(function (name) {
        var radios = form.querySelectorAll('input[type="radio"]');
        Array.prototype.forEach.call(radios, function (radio) {
          if (radio.name === name && radio.value === saved.answers[name]) radio.checked = true;
        });
      });
      showResult(saved.persona, hub.t("Last time, your answers pointed to:"));
    }
  }

  hub.onReady(function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-hub-quiz]"), setUp);
  });
})();
