/*
 * Cairn's SCORM player: sets up scorm-again (the SCORM API; not written here)
 * with the state the server prepared, frames the content, journals the API
 * calls of traced learners and follows SCORM 2004 navigation requests.
 *
 * Commits go to the session's commit URL as scorm-again's JSON (synchronous
 * XHR); the commit made by Terminate goes out with sendBeacon as text/plain,
 * marked with ?terminate=true. A beacon carries at most 64 KB, so before
 * Terminate the player first commits synchronously (when the page is not
 * being unloaded), and the beacon then carries only what changed since the
 * last commit the server acknowledged -- the server merges commits. The
 * server recomputes total_time, so the API never sends its own.
 */
(function () {
  "use strict";

  var config = JSON.parse(document.getElementById("cairn-player-config").textContent);
  var is12 = config.version === "1.2";
  var CALLS = is12
    ? ["LMSInitialize", "LMSFinish", "LMSGetValue", "LMSSetValue", "LMSCommit",
       "LMSGetLastError", "LMSGetErrorString", "LMSGetDiagnostic"]
    : ["Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError",
       "GetErrorString", "GetDiagnostic"];
  var ENDING = is12 ? "LMSFinish" : "Terminate";
  var COMMITTING = is12 ? "LMSCommit" : "Commit";
  var journal = [];
  var sent = 0;
  var seq = 0;
  var navRequest = "";
  var pending = {};   // the leaves of the commit being sent
  var acked = {};     // the leaves of the last commit the server accepted
  var originals = {};

  function leaves(node, prefix, into) {
    Object.keys(node).forEach(function (key) {
      var path = prefix ? prefix + "." + key : key;
      if (node[key] !== null && typeof node[key] === "object") {
        leaves(node[key], path, into);
      } else {
        into[path] = node[key];
      }
    });
    return into;
  }

  /* Drop the leaves the server already has; empty branches go too. */
  function prune(node, prefix) {
    Object.keys(node).forEach(function (key) {
      var path = prefix ? prefix + "." + key : key;
      if (node[key] !== null && typeof node[key] === "object") {
        prune(node[key], path);
        if (Object.keys(node[key]).length === 0) { delete node[key]; }
      } else if (acked[path] === node[key]) {
        delete node[key];
      }
    });
  }

  var settings = {
    lmsCommitUrl: config.commit_url,
    dataCommitFormat: "json",
    sendFullCommit: true,
    autocommit: true,
    autocommitSeconds: 30,
    terminateCommitParam: "terminate",
    alwaysSendTotalTime: false,
    selfReportSessionTime: false,
    logLevel: 4,
    requestHandler: function (commit, metadata) {
      pending = leaves(commit, "", {});
      if (metadata && metadata.isTerminateCommit) { prune(commit, ""); }
      if (config.journal && journal.length) {
        commit.journal = journal.slice();
        sent = journal.length;
      }
      if (navRequest) {
        // scorm-again does not commit adl.nav.request; the server needs it (suspendAll).
        commit.adl = commit.adl || {};
        commit.adl.nav = { request: navRequest };
      }
      return commit;
    },
    xhrResponseHandler: function (xhr) {
      var answer = null;
      try { answer = JSON.parse(xhr.responseText); } catch (ignored) { answer = null; }
      if (xhr.status >= 200 && xhr.status < 300) {
        acked = pending;
        return { result: true, errorCode: 0 };
      }
      if (answer && answer.message) { console.error("Cairn refused the commit: " + answer.message); }
      return { result: "false", errorCode: 101 };
    }
  };

  var api = is12 ? new window.Scorm12API(settings) : new window.Scorm2004API(settings);

  /*
   * Suspend data longer than scorm-again's 64,000-character cap, up to the
   * limit Cairn's settings allow (config.suspend_data_limit). scorm-again keeps
   * the value in a field, _suspend_data, of the CMI part that owns it (2004:
   * cmi.content, 1.2: cmi.core; cmi itself in unbundled builds), which its
   * getter, GetValue and every commit read; the player puts longer values
   * there itself, after scorm-again has checked the call is allowed at all
   * (initialized, not terminated) by storing an empty value first. Beyond
   * Cairn's limit the call fails with the standard's error: nothing is
   * truncated, ever. The e2e tests pin this against the scorm-again version
   * in package.json.
   */
  var SUSPEND_DATA = "cmi.suspend_data";
  var API_CAP = 64000;
  var TOO_LONG = is12 ? "405" : "407";

  function suspendDataOwner() {
    var owners = [api.cmi.content, api.cmi.core, api.cmi];
    for (var i = 0; i < owners.length; i++) {
      if (owners[i] && Object.prototype.hasOwnProperty.call(owners[i], "_suspend_data")) {
        return owners[i];
      }
    }
    throw new Error("Cairn's player does not know where this scorm-again keeps suspend data");
  }

  function keepSuspendData(value) { suspendDataOwner()._suspend_data = value; }

  // scorm-again's loader refuses (and drops) what is longer than its cap: load that apart.
  var initial = Object.assign({}, config.initial_state);
  var restored = initial[SUSPEND_DATA];
  var restoreLong = typeof restored === "string" && restored.length > API_CAP;
  if (restoreLong) { delete initial[SUSPEND_DATA]; }
  api.loadFromFlattenedJSON(initial);
  if (restoreLong) { keepSuspendData(restored); }

  function setLongSuspendData(original, value) {
    var before = suspendDataOwner()._suspend_data;
    var result = original(SUSPEND_DATA, "");  // scorm-again's own checks (state) and errors
    if (String(result) !== "true") { return result; }
    if (value.length > config.suspend_data_limit) {
      keepSuspendData(before);
      api.lastErrorCode = TOO_LONG;
      console.error("cmi.suspend_data: " + value.length + " characters is more than this " +
                    "server keeps (" + config.suspend_data_limit + ")");
      return "false";
    }
    keepSuspendData(value);
    return result;
  }

  function call(name, original, first, second) {
    var setting = name === "SetValue" || name === "LMSSetValue";
    if (setting && first === SUSPEND_DATA && typeof second === "string" &&
        second.length > Math.min(API_CAP, config.suspend_data_limit)) {
      return setLongSuspendData(original, second);
    }
    return original(first, second);
  }

  function arguments_of(name, first, second) {
    if (/SetValue$/.test(name)) { return { element: first, value: second }; }
    if (/GetValue$/.test(name)) { return { element: first, value: null }; }
    if (/(ErrorString|Diagnostic)$/.test(name)) { return { element: null, value: first }; }
    return { element: null, value: null };
  }

  function wrap(name) {
    var original = api[name].bind(api);
    originals[name] = original;
    api[name] = function (first, second) {
      var given = arguments_of(name, first, second);
      var line = { seq: seq++, call: name, element: given.element, value: given.value,
                   result: null, error: 0, at: Date.now() };
      if (name === ENDING && !unloading && String(originals[COMMITTING]("")) === "true") {
        // Stored synchronously first: the beacon Terminate sends is limited to 64 KB.
        journal.splice(0, sent);
        sent = 0;
      }
      if (config.journal && name === ENDING) {
        // Terminate sends its commit while it runs: the line must already be queued.
        line.result = "true";
        journal.push(line);
      }
      var result = call(name, original, first, second);
      line.result = result === undefined || result === null ? null : String(result);
      line.error = parseInt(api.lastErrorCode, 10) || 0;
      if (config.journal && name !== ENDING) { journal.push(line); }
      if ((name === COMMITTING || name === ENDING) && String(result) === "true") {
        journal.splice(0, sent);
        sent = 0;
      }
      if (name === "SetValue" && first === "adl.nav.request" && String(result) === "true") {
        navRequest = String(second);
      }
      if (name === ENDING && String(result) === "true") { window.setTimeout(follow, 0); }
      return result;
    };
  }

  CALLS.forEach(wrap);
  var unloading = false;
  window.addEventListener("pagehide", function () { unloading = true; });
  window.addEventListener("beforeunload", function () { unloading = true; });

  function target(request) {
    var match = /^\{target=([^}]*)\}(choice|jump)$/.exec(request);
    return match ? config.lessons_by_identifier[match[1]] : null;
  }

  function ended() {
    document.getElementById("cairn-content").hidden = true;
    document.getElementById("cairn-ended").hidden = false;
  }

  /* After Terminate: SCORM 2004 navigation requests move between lessons. */
  function follow() {
    var next = null;
    if (navRequest === "continue") { next = config.next_url; }
    else if (navRequest === "previous") { next = config.previous_url; }
    else if (navRequest) { next = target(navRequest); }
    if (next) { window.location.assign(next); } else { ended(); }
  }

  if (is12) { window.API = api; } else { window.API_1484_11 = api; }
  window.cairnPlayer = { api: api, config: config, journal: journal };
  document.getElementById("cairn-content").src = config.content_url;
}());
