/*
 * Cairn's demo lesson: the content side of SCORM, for 1.2 and 2004 alike.
 * It finds the LMS's API (API_1484_11 or API), keeps a resume point and a
 * large suspend-data state, commits after every step, records a three-
 * question quiz as interactions, and reports a score and an objective.
 * Written for Cairn; Apache-2.0.
 */
(function () {
  "use strict";

  function find(name) {
    var win = window;
    for (var depth = 0; win && depth < 10; depth++) {
      if (win[name]) { return win[name]; }
      if (win === win.parent) { break; }
      win = win.parent;
    }
    return null;
  }

  var api = find("API_1484_11");
  var v2004 = api !== null;
  if (!v2004) { api = find("API"); }
  var N = v2004 ? {
    init: "Initialize", get: "GetValue", set: "SetValue", commit: "Commit", finish: "Terminate",
    location: "cmi.location", entry: "cmi.entry", suspend: "cmi.suspend_data",
    exit: "cmi.exit", sessionTime: "cmi.session_time", response: "learner_response",
    wrong: "incorrect", when: "timestamp", normalExit: "normal"
  } : {
    init: "LMSInitialize", get: "LMSGetValue", set: "LMSSetValue", commit: "LMSCommit",
    finish: "LMSFinish", location: "cmi.core.lesson_location", entry: "cmi.core.entry",
    suspend: "cmi.suspend_data", exit: "cmi.core.exit", sessionTime: "cmi.core.session_time",
    response: "student_response", wrong: "wrong", when: "time", normalExit: ""
  };
  // More suspend data than SCORM 2004 guarantees (64,000 characters): Cairn keeps it whole.
  // A server in strict SCORM 1.2 mode refuses more than 4,096; the lesson then keeps a
  // compact state instead, as careful content does.
  var SUSPEND_LENGTH = 70000;
  var COMPACT_LENGTH = 3000;
  var PAGES = 5;
  var QUIZ_PAGE = 3;
  var started = Date.now();
  var pageShown = Date.now();
  var ended = false;
  var state = { page: 0, visited: [0], answers: {}, submitted: false, score: null, trail: "" };

  function get(element) { return api ? String(api[N.get](element)) : ""; }
  function set(element, value) {
    return api ? String(api[N.set](element, String(value))) === "true" : false;
  }

  function pad(number, width) { return String(number).padStart(width, "0"); }

  function duration(ms) {
    var centis = Math.floor(ms / 10);
    if (v2004) { return "PT" + (centis / 100).toFixed(2) + "S"; }
    var seconds = Math.floor(centis / 100);
    return pad(Math.floor(seconds / 3600), 4) + ":" + pad(Math.floor(seconds / 60) % 60, 2) + ":" +
      pad(seconds % 60, 2) + "." + pad(centis % 100, 2);
  }

  function now() {
    var iso = new Date().toISOString();
    return v2004 ? iso.slice(0, 19) : iso.slice(11, 19);
  }

  function suspendData(length) {
    var bare = JSON.stringify(Object.assign({}, state, { trail: "" }));
    var room = Math.max(0, length - bare.length);
    var trail = "";
    while (trail.length < room) { trail += "cairn-" + trail.length.toString(36) + " "; }
    state.trail = trail.slice(0, room);
    return JSON.stringify(state);
  }

  function save() {
    set(N.location, state.page);
    if (!set(N.suspend, suspendData(SUSPEND_LENGTH))) {
      set(N.suspend, suspendData(COMPACT_LENGTH));
    }
    set(N.sessionTime, duration(Date.now() - started));
    if (v2004) { set("cmi.progress_measure", (state.visited.length / PAGES).toFixed(2)); }
    if (api) { api[N.commit](""); }
  }

  function show(page) {
    state.page = page;
    if (state.visited.indexOf(page) < 0) { state.visited.push(page); }
    pageShown = Date.now();
    var sections = document.querySelectorAll(".page");
    for (var i = 0; i < sections.length; i++) {
      sections[i].hidden = Number(sections[i].dataset.page) !== page;
    }
    document.getElementById("page-title").textContent =
      document.querySelector('.page[data-page="' + page + '"]').dataset.title;
    document.getElementById("back").disabled = page === 0;
    document.getElementById("next").disabled =
      page === PAGES - 1 || (page === QUIZ_PAGE && !state.submitted);
    save();
  }

  function restoreAnswers() {
    Object.keys(state.answers).forEach(function (question) {
      var field = document.querySelector('[name="' + question + '"][value="' +
                                         state.answers[question] + '"]') ||
                  document.querySelector('input[type="number"][name="' + question + '"]');
      if (!field) { return; }
      if (field.type === "number") { field.value = state.answers[question]; } else {
        field.checked = true;
      }
    });
  }

  function answerOf(fieldset) {
    var checked = fieldset.querySelector("input:checked");
    var number = fieldset.querySelector('input[type="number"]');
    return checked ? checked.value : (number ? number.value : "");
  }

  function isCorrect(fieldset, answer) {
    var correct = fieldset.dataset.correct;
    if (fieldset.dataset.type !== "numeric") { return answer === correct; }
    var range = correct.split(":");
    var value = parseFloat(answer);
    return value >= parseFloat(range[0]) && value <= parseFloat(range[1]);
  }

  function pattern(fieldset) {
    var correct = fieldset.dataset.correct;
    if (fieldset.dataset.type !== "numeric") { return correct; }
    return v2004 ? correct.replace(":", "[:]") : correct.split(":")[0];
  }

  function record(index, fieldset, answer, correct, latency) {
    var base = "cmi.interactions." + index + ".";
    set(base + "id", "dev.cairn.demo." + fieldset.dataset.question);
    set(base + "type", fieldset.dataset.type);
    set(base + "objectives.0.id", "trail-safety");
    if (v2004) { set(base + "description", fieldset.dataset.description); }
    set(base + N.when, now());
    set(base + "correct_responses.0.pattern", pattern(fieldset));
    set(base + N.response, answer);
    set(base + "result", correct ? "correct" : N.wrong);
    set(base + "weighting", "1");
    set(base + "latency", duration(latency));
  }

  function objectiveIndex() {
    var count = parseInt(get("cmi.objectives._count"), 10) || 0;
    for (var i = 0; i < count; i++) {
      if (get("cmi.objectives." + i + ".id") === "trail-safety") { return i; }
    }
    set("cmi.objectives." + count + ".id", "trail-safety");
    return count;
  }

  function score(scaled) {
    var raw = Math.round(scaled * 100);
    var passed = scaled >= 0.7;
    var objective = "cmi.objectives." + objectiveIndex() + ".";
    if (v2004) {
      set("cmi.score.scaled", scaled.toFixed(2));
      set("cmi.score.raw", raw);
      set("cmi.score.min", 0);
      set("cmi.score.max", 100);
      set("cmi.completion_status", "completed");
      set("cmi.success_status", passed ? "passed" : "failed");
      set(objective + "success_status", passed ? "passed" : "failed");
      set(objective + "completion_status", "completed");
      set(objective + "score.scaled", scaled.toFixed(2));
    } else {
      set("cmi.core.score.raw", raw);
      set("cmi.core.score.min", 0);
      set("cmi.core.score.max", 100);
      set("cmi.core.lesson_status", passed ? "passed" : "failed");
      set(objective + "status", passed ? "passed" : "failed");
      set(objective + "score.raw", raw);
    }
    return passed;
  }

  function submit() {
    var fieldsets = document.querySelectorAll("#quiz fieldset");
    var first = parseInt(get("cmi.interactions._count"), 10) || 0;
    var latency = Date.now() - pageShown;
    var right = 0;
    for (var i = 0; i < fieldsets.length; i++) {
      var answer = answerOf(fieldsets[i]);
      var correct = isCorrect(fieldsets[i], answer);
      state.answers[fieldsets[i].dataset.question] = answer;
      right += correct ? 1 : 0;
      record(first + i, fieldsets[i], answer, correct, latency);
    }
    state.submitted = true;
    state.score = right / fieldsets.length;
    var passed = score(state.score);
    document.getElementById("result").textContent = "You answered " + right + " of " +
      fieldsets.length + " correctly: " + (passed ? "passed." : "not passed yet.");
    show(QUIZ_PAGE + 1);
  }

  function leave(exit) {
    if (ended) { return; }
    ended = true;
    set(N.exit, exit);
    save();
    if (api) { api[N.finish](""); }
    document.getElementById("status").textContent = "Your progress is saved.";
  }

  function start() {
    if (!api) {
      document.getElementById("status").textContent = "No LMS found: nothing will be saved.";
      return;
    }
    api[N.init]("");
    var saved = get(N.suspend);
    if (saved) {
      try { state = JSON.parse(saved); } catch (ignored) { state.page = 0; }
      document.getElementById("status").textContent = "Welcome back: you are where you left off.";
    }
    var status = get(v2004 ? "cmi.completion_status" : "cmi.core.lesson_status");
    if (status === "not attempted" || status === "unknown" || status === "") {
      set(v2004 ? "cmi.completion_status" : "cmi.core.lesson_status", "incomplete");
    }
    restoreAnswers();
    if (state.submitted && state.score !== null) {
      document.getElementById("result").textContent = "Your score: " +
        Math.round(state.score * 100) + "%.";
    }
    document.body.dataset.entry = get(N.entry);
    show(Number(get(N.location)) || state.page || 0);
  }

  document.getElementById("next").addEventListener("click", function () { show(state.page + 1); });
  document.getElementById("back").addEventListener("click", function () { show(state.page - 1); });
  document.getElementById("submit").addEventListener("click", submit);
  document.getElementById("save-exit").addEventListener("click", function () { leave("suspend"); });
  document.getElementById("finish").addEventListener("click", function () {
    leave(state.submitted ? N.normalExit : "suspend");
  });
  window.addEventListener("pagehide", function () { leave("suspend"); });
  start();
}());
