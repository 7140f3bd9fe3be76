/* policybook SCORM player: steps the learner through the module's policies, quizzes and
 * acknowledgement, and reports to the LMS through SCORM 1.2 (`API`) or SCORM 2004 (`API_1484_11`).
 *
 * Written for what Moodle's player really does: every lifecycle call gets "", values are
 * strings, the score is a percentage set before the status, times use the exact formats Moodle's
 * validators accept, and with no LMS at all the module still works and says that nothing is
 * recorded. Moodle saves only on commit, with a synchronous request that blocks the page (about
 * 130 ms each), and browsers drop requests made while a page closes: so values are set as the
 * learner works, and committed at step boundaries, on the acknowledgement, and when the page is
 * hidden. In review or browse mode nothing is recorded, and the page says so.
 */
(function () {
  'use strict';

  var data = JSON.parse(document.getElementById('module-data').textContent);
  var isScorm12 = data.scorm === '1.2';

  function $(root, sel) { return root.querySelector(sel); }
  function $all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }
  function pad(n, width) { var s = String(n); while (s.length < width) { s = '0' + s; } return s; }

  /* ---- Finding the LMS: the ADL algorithm, a separate count for each search ---- */

  function scan(win, name, maxTries) {
    var tries = 0;
    try {
      while (win && !win[name] && win.parent && win.parent !== win) {
        tries += 1;
        if (tries > maxTries) { return null; }
        win = win.parent;
      }
      return (win && win[name]) || null;
    } catch (e) {
      return null; // a frame from another origin: no API there for us
    }
  }

  function findApi() {
    var name = isScorm12 ? 'API' : 'API_1484_11';
    var maxTries = isScorm12 ? 7 : 500;
    var api = scan(window, name, maxTries);
    if (!api) {
      try { if (window.opener) { api = scan(window.opener, name, maxTries); } } catch (e) { api = null; }
    }
    return api;
  }

  /* ---- Time formats Moodle accepts ---- */

  function splitTime(ms) {
    var cs = Math.max(0, Math.round(ms / 10));
    var h = Math.floor(cs / 360000); cs -= h * 360000;
    var m = Math.floor(cs / 6000); cs -= m * 6000;
    var s = Math.floor(cs / 100); cs -= s * 100;
    return { h: Math.min(h, 9999), m: m, s: s, cs: cs };
  }
  /* SCORM 1.2 CMITimespan: HH[HH]:MM:SS.SS */
  function timespan12(ms) {
    var t = splitTime(ms);
    return pad(t.h, 2) + ':' + pad(t.m, 2) + ':' + pad(t.s, 2) + '.' + pad(t.cs, 2);
  }
  /* SCORM 2004 duration, at most two decimals: PT0H7M35.20S */
  function duration2004(ms) {
    var t = splitTime(ms);
    return 'PT' + t.h + 'H' + t.m + 'M' + t.s + '.' + pad(t.cs, 2) + 'S';
  }
  /* SCORM 1.2 CMITime: time of day HH:MM:SS */
  function time12(d) {
    return pad(d.getHours(), 2) + ':' + pad(d.getMinutes(), 2) + ':' + pad(d.getSeconds(), 2);
  }
  /* SCORM 2004 timestamp: one fraction digit, the zone only after it (Moodle rejects toISOString) */
  function timestamp2004(d) {
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1, 2) + '-' + pad(d.getUTCDate(), 2) +
      'T' + pad(d.getUTCHours(), 2) + ':' + pad(d.getUTCMinutes(), 2) + ':' + pad(d.getUTCSeconds(), 2) +
      '.' + Math.floor(d.getUTCMilliseconds() / 100) + 'Z';
  }

  /* ---- One interface over both APIs ---- */

  var names = isScorm12 ? {
    entry: 'cmi.core.entry', mode: 'cmi.core.lesson_mode', location: 'cmi.core.lesson_location',
    name: 'cmi.core.student_name', exit: 'cmi.core.exit', sessionTime: 'cmi.core.session_time',
    status: 'cmi.core.lesson_status', raw: 'cmi.core.score.raw', min: 'cmi.core.score.min',
    max: 'cmi.core.score.max', response: 'student_response', time: 'time'
  } : {
    entry: 'cmi.entry', mode: 'cmi.mode', location: 'cmi.location', name: 'cmi.learner_name',
    exit: 'cmi.exit', sessionTime: 'cmi.session_time', status: 'cmi.completion_status',
    raw: 'cmi.score.raw', min: 'cmi.score.min', max: 'cmi.score.max', response: 'learner_response',
    time: 'timestamp'
  };

  function Lms(api) {
    this.api = api;
    this.errors = [];
    this.open = false;
  }
  Lms.prototype.call = function (method12, method2004, args) {
    var fn = this.api[isScorm12 ? method12 : method2004];
    return String(fn.apply(this.api, args));
  };
  Lms.prototype.check = function (what, ok) {
    if (!ok) {
      var code = this.call('LMSGetLastError', 'GetLastError', []);
      this.errors.push(what + ' → error ' + code);
      if (window.console) { window.console.warn('SCORM: ' + what + ' failed with error ' + code); }
    }
    return ok;
  };
  Lms.prototype.initialize = function () {
    this.open = this.check('initialize', this.call('LMSInitialize', 'Initialize', ['']) === 'true');
    return this.open;
  };
  Lms.prototype.get = function (key) {
    return this.open ? this.call('LMSGetValue', 'GetValue', [key]) : '';
  };
  Lms.prototype.set = function (key, value) {
    if (!this.open) { return false; }
    return this.check('set ' + key, this.call('LMSSetValue', 'SetValue', [key, String(value)]) === 'true');
  };
  Lms.prototype.commit = function () {
    return this.open && this.check('commit', this.call('LMSCommit', 'Commit', ['']) === 'true');
  };
  Lms.prototype.finish = function () {
    if (!this.open) { return false; }
    this.open = false;
    return this.check('finish', this.call('LMSFinish', 'Terminate', ['']) === 'true');
  };

  /* ---- The page ---- */

  var steps = $all(document, 'section.step');
  var progressItems = $all(document, '.progress li');
  var progressText = $(document, '.progress-text');
  var quizForms = $all(document, 'section.step-quiz form.quiz');
  var ackForm = $(document, 'form.ack-form');
  var startedAt = Date.now();

  var state = {
    step: 0,
    quizzes: data.quizzes.map(function () { return { result: null }; }),
    acks: data.policies.map(function () { return false; }),
    finished: false
  };
  var quizzes = [];
  var lms = null;
  var readOnly = false;
  var remembered = null; // the location, suspend data and exit last set
  var dirty = false; // set since the last commit

  function stepKind(i) { return data.steps[i]; }

  /* Whether step `i` is a quiz that was marked and not passed. */
  function quizFailed(i) {
    if (stepKind(i) !== 'quiz') { return false; }
    var result = state.quizzes[i - data.policies.length].result;
    return !!result && !result.passed;
  }

  /* The first quiz step not passed yet, or -1. */
  function firstQuizToPass() {
    for (var i = 0; i < data.steps.length; i++) {
      if (stepKind(i) === 'quiz') {
        var result = state.quizzes[i - data.policies.length].result;
        if (!result || !result.passed) { return i; }
      }
    }
    return -1;
  }

  /* With require_pass (the default), the acknowledgement waits until every quiz is passed. */
  function ackBlocked() {
    return data.require_pass && firstQuizToPass() >= 0;
  }

  function updateAckGate() {
    var blocked = ackBlocked();
    var box = $(document, '.ack-blocked');
    if (box) { box.hidden = !blocked; }
    $(ackForm, 'fieldset').disabled = blocked;
    $(ackForm, '.ack-finish').disabled = blocked;
  }

  function showStep(i, focus) {
    state.step = Math.max(0, Math.min(i, steps.length - 1));
    steps.forEach(function (s, n) { s.hidden = n !== state.step; });
    var countable = data.steps.length - 1; // the final "done" page is not a step to take
    progressItems.forEach(function (li, n) {
      var failed = quizFailed(n);
      li.setAttribute('aria-current', n === state.step ? 'step' : 'false');
      li.classList.toggle('failed', failed);
      li.classList.toggle('done', !failed && (n < state.step || state.finished));
      var note = $(li, '.step-state');
      if (note) { note.textContent = failed ? ' (not passed)' : ''; }
    });
    updateAckGate();
    if (progressText) {
      progressText.textContent = state.step < countable
        ? 'Step ' + (state.step + 1) + ' of ' + countable + ': ' + progressItems[state.step].textContent
        : 'All steps done';
    }
    if (focus) {
      var heading = $(steps[state.step], 'h1');
      if (heading) { heading.setAttribute('tabindex', '-1'); heading.focus(); }
      window.scrollTo(0, 0);
    }
  }

  /* ---- Saved progress (cmi.suspend_data): format documented in src/scorm/suspend.rs ---- */

  function encodeAnswer(type, answer, key) {
    if (answer === null || answer === undefined) { return null; }
    if (type === 'single' || type === 'multiple') { return answer.join(''); }
    if (type === 'true-false') { return answer ? 1 : 0; }
    if (type === 'short') { return String(answer).slice(0, data.short_answer_max); }
    if (type === 'matching') {
      return key.pairs.map(function (p) { return answer[p.left] || '-'; }).join('');
    }
    return null;
  }

  function decodeAnswer(type, value, key) {
    if (value === null || value === undefined) { return null; }
    if (type === 'single' || type === 'multiple') { return String(value).split(''); }
    if (type === 'true-false') { return value === 1; }
    if (type === 'short') { return String(value); }
    if (type === 'matching') {
      var pairs = {};
      String(value).split('').forEach(function (c, i) { if (c !== '-' && key.pairs[i]) { pairs[key.pairs[i].left] = c; } });
      return pairs;
    }
    return null;
  }

  /* Each policy's version, saved with the progress (`p`). */
  function policyVersions() {
    var versions = {};
    data.policies.forEach(function (p) { versions[p.id] = p.version; });
    return versions;
  }

  /* Progress saved by an earlier package: for each policy whose version changed since, show
   * and open "what changed since" the version the learner was reading, if the package has it. */
  function showChangesSince(savedVersions) {
    if (!savedVersions || typeof savedVersions !== 'object') { return; }
    data.policies.forEach(function (p, i) {
      var was = savedVersions[p.id];
      if (typeof was !== 'string' || was === p.version) { return; }
      var step = steps[i];
      var match = $all(step, 'details.changes-from').filter(function (d) { return d.getAttribute('data-from') === was; })[0];
      if (!match) { return; }
      var notice = $(step, '.changes-you');
      $all(notice, '.cs-version').forEach(function (el) { el.textContent = was; });
      notice.hidden = false;
      match.open = true;
    });
  }

  function serialise() {
    var q = quizzes.map(function (quiz, i) {
      var s = quiz.getState();
      var ids = data.quizzes[i].questions;
      return {
        d: s.questions.map(function (id) { return ids.indexOf(id); }),
        o: s.questions.map(function (id) {
          var t = quiz.key.questions[id].type;
          return (t === 'single' || t === 'multiple') ? (s.order[id] || []).join('') : '';
        }),
        a: s.questions.map(function (id) {
          return encodeAnswer(quiz.key.questions[id].type, s.answers[id], quiz.key.questions[id]);
        }),
        r: state.quizzes[i].result === null ? null : state.quizzes[i].result.percent
      };
    });
    var text = JSON.stringify({ v: 1, h: data.fingerprint, s: state.step, q: q, k: state.acks.map(function (a) { return a ? '1' : '0'; }).join(''), p: policyVersions() });
    if (text.length > data.suspend_data_limit) {
      // Cannot happen within the build-time budget; keep the position rather than nothing.
      text = JSON.stringify({ v: 1, h: data.fingerprint, s: state.step, q: [], k: '', p: policyVersions() });
    }
    return text;
  }

  function restore(text) {
    var saved;
    try { saved = JSON.parse(text); } catch (e) { return false; }
    // Progress saved by another version of this package (the policy or the questions changed)
    // is not restored: the learner starts again and reads what is there now.
    if (saved && saved.v === 1 && saved.h !== data.fingerprint) { showChangesSince(saved.p); }
    if (!saved || saved.v !== 1 || saved.h !== data.fingerprint) { return false; }
    (saved.q || []).forEach(function (qs, i) {
      var quiz = quizzes[i];
      if (!quiz || !qs || !qs.d) { return; }
      var ids = data.quizzes[i].questions;
      var questions = qs.d.map(function (n) { return ids[n]; }).filter(Boolean);
      var order = {};
      var answers = {};
      questions.forEach(function (id, n) {
        var key = quiz.key.questions[id];
        if (qs.o && qs.o[n]) { order[id] = qs.o[n].split(''); }
        var a = decodeAnswer(key.type, qs.a ? qs.a[n] : null, key);
        if (a !== null) { answers[id] = a; }
      });
      quiz.setState({ questions: questions, order: order, answers: answers });
      if (typeof qs.r === 'number') {
        state.quizzes[i].result = { percent: qs.r, passed: qs.r >= data.quizzes[i].pass_mark };
      }
    });
    String(saved.k || '').split('').forEach(function (c, i) {
      if (i < state.acks.length) { state.acks[i] = c === '1'; }
    });
    $all(ackForm, '.ack-option input[type=checkbox]').forEach(function (box, i) { box.checked = !!state.acks[i]; });
    showStep(typeof saved.s === 'number' && saved.s < steps.length - 1 ? saved.s : 0, false);
    updateQuizSummary();
    return true;
  }

  /* Sets the position and progress (cheap: the LMS keeps them in the page) after every change,
   * without committing: Moodle's commit blocks the page while it saves. */
  function remember() {
    if (!lms || readOnly || state.finished) { return; }
    var values = [String(state.step), serialise(), 'suspend'];
    if (remembered && values.join('\u0000') === remembered.join('\u0000')) { return; }
    if (!remembered || values[0] !== remembered[0]) { lms.set(names.location, values[0]); }
    if (!remembered || values[1] !== remembered[1]) { lms.set('cmi.suspend_data', values[1]); }
    if (!remembered) { lms.set(names.exit, values[2]); }
    remembered = values;
    dirty = true;
  }

  /* Saves what was set, when anything was: at step boundaries and when the page is hidden.
   * Leaving mid-step keeps everything up to the last commit. */
  function save() {
    remember();
    if (lms && lms.open && dirty) {
      dirty = false;
      lms.commit();
    }
  }

  /* ---- Interactions ---- */

  function interactionCount() {
    var n = parseInt(lms.get('cmi.interactions._count'), 10);
    return isNaN(n) ? 0 : n;
  }

  function recordInteraction(id, type, response, pattern, result, latencyMs, weighting) {
    var n = interactionCount();
    var p = 'cmi.interactions.' + n + '.';
    var now = new Date();
    lms.set(p + 'id', id); // first: SCORM 2004 needs the id before anything else
    lms.set(p + 'type', type);
    lms.set(p + names.time, isScorm12 ? time12(now) : timestamp2004(now));
    lms.set(p + 'weighting', weighting);
    if (pattern !== null) { lms.set(p + 'correct_responses.0.pattern', pattern); }
    lms.set(p + names.response, response);
    lms.set(p + 'result', result);
    if (latencyMs !== null) { lms.set(p + 'latency', isScorm12 ? timespan12(latencyMs) : duration2004(latencyMs)); }
  }

  /* A learner's answer and the correct one, in each version's response format. */
  function responses(a) {
    var key = a.key;
    var list = isScorm12 ? ',' : '[,]';
    var dot = isScorm12 ? '.' : '[.]';
    if (a.type === 'single' || a.type === 'multiple') {
      return {
        type: 'choice',
        given: a.answer.join(list),
        correct: key.options.filter(function (o) { return o.correct; }).map(function (o) { return o.id; }).join(list)
      };
    }
    if (a.type === 'true-false') {
      return isScorm12
        ? { type: 'true-false', given: a.answer ? 't' : 'f', correct: key.answer ? 't' : 'f' }
        : { type: 'true-false', given: a.answer ? 'true' : 'false', correct: key.answer ? 'true' : 'false' };
    }
    if (a.type === 'short') {
      var clean = function (s) { return String(s).replace(/\[[,.]\]/g, ' ').slice(0, 250); };
      return { type: 'fill-in', given: clean(a.answer), correct: clean(key.accepted[0] || '') };
    }
    if (a.type === 'matching') {
      var given = key.pairs.filter(function (p) { return a.answer[p.left]; })
        .map(function (p) { return p.left + dot + a.answer[p.left]; });
      return {
        type: 'matching',
        given: given.join(list),
        correct: key.pairs.map(function (p) { return p.left + dot + p.right; }).join(list)
      };
    }
    return null;
  }

  function onQuizMarked(i, result) {
    state.quizzes[i].result = { percent: result.percent, passed: result.passed };
    if (lms && !readOnly) {
      dirty = true; // interactions are recorded below
      result.answers.forEach(function (a) {
        if (a.answer === null) { return; }
        var r = responses(a);
        if (!r) { return; }
        recordInteraction(a.id, r.type, r.given, r.correct, a.correct ? 'correct' : (isScorm12 ? 'wrong' : 'incorrect'), a.latencyMs, 1);
      });
    }
    var hint = $(steps[state.step], '.step-hint');
    if (hint) { hint.hidden = true; }
    updateQuizSummary();
    showStep(state.step, false);
    remember();
  }

  /* ---- The result ---- */

  function moduleResult() {
    if (!data.quizzes.length) { return null; }
    var total = 0;
    var passed = true;
    state.quizzes.forEach(function (q, i) {
      var percent = q.result ? q.result.percent : 0;
      total += percent;
      passed = passed && percent >= data.quizzes[i].pass_mark;
    });
    return { percent: Math.round(total / data.quizzes.length), passed: passed };
  }

  function updateQuizSummary() {
    var box = $(document, '.quiz-summary');
    var result = moduleResult();
    if (!box || !result) { return; }
    box.hidden = false;
    box.classList.toggle('not-passed', !result.passed);
    if (result.passed) {
      box.textContent = 'Quiz result: ' + result.percent + '%, passed.';
    } else if (data.require_pass) {
      box.textContent = 'Quiz result: ' + result.percent + '%, not passed yet.';
    } else {
      box.textContent = 'Quiz result: ' + result.percent + '%, not passed yet. You can go back and try again before you finish.';
    }
  }

  /* The acknowledgement as the LMS records it: marked when given without a pass. */
  function ackText(text, result) {
    return result && !result.passed ? text + data.quiz_failed_suffix : text;
  }

  /* SCORM 2004: each acknowledgement is also an objective, which Moodle's Objectives report
   * shows (its reports show no 2004 interaction responses). */
  function recordObjectives(result) {
    var count = parseInt(lms.get('cmi.objectives._count'), 10) || 0;
    data.policies.forEach(function (p) {
      var p0 = 'cmi.objectives.' + count + '.';
      count += 1;
      lms.set(p0 + 'id', ackText(p.ack_objective, result)); // first: 2004 needs the id first
      lms.set(p0 + 'completion_status', 'completed');
      lms.set(p0 + 'success_status', result ? (result.passed ? 'passed' : 'failed') : 'unknown');
    });
  }

  /* The score: the quizzes' average, or 100 for a module without a quiz (Moodle grades the raw
   * score, and reads no score as 0). Set before the status: mastery override compares it. */
  function recordScore(result) {
    var percent = result ? result.percent : 100;
    lms.set(names.raw, percent);
    lms.set(names.min, 0);
    lms.set(names.max, 100);
    if (!isScorm12) { lms.set('cmi.score.scaled', percent / 100); }
  }

  /* An agreement field's value as the LMS keeps it: `field:<policy>:<field>:<value>`, within a
   * fill-in response's 250 characters, and without the `[,]` and `[.]` that separate values in
   * SCORM 2004. A checkbox gives `yes` or `no`. */
  function fieldResponse(f) {
    var input = document.getElementById(f.input);
    var value = input.getAttribute('data-kind') === 'checkbox' ? (input.checked ? 'yes' : 'no') : input.value.trim();
    return (f.prefix + value.replace(/\[[,.]\]/g, ' ').replace(/\s+/g, ' ')).slice(0, 250);
  }

  /* The first required field left empty, if any (each is marked for assistive technology). */
  function missingField() {
    var missing = null;
    data.policies.forEach(function (p) {
      p.fields.forEach(function (f) {
        var input = document.getElementById(f.input);
        var empty = input.getAttribute('data-kind') === 'checkbox' ? !input.checked : !input.value.trim();
        if (f.required && empty) {
          input.setAttribute('aria-invalid', 'true');
          missing = missing || input;
        } else {
          input.removeAttribute('aria-invalid');
        }
      });
    });
    return missing;
  }

  function recordCompletion(result) {
    data.policies.forEach(function (p) {
      recordInteraction('ack-' + p.id, 'fill-in', ackText(p.ack_response, result), null, 'neutral', null, 0);
      p.fields.forEach(function (f) {
        recordInteraction(f.interaction, 'fill-in', fieldResponse(f), null, 'neutral', null, 0);
      });
    });
    if (!isScorm12) { recordObjectives(result); }
    recordScore(result);
    if (isScorm12) {
      lms.set(names.status, result ? (result.passed ? 'passed' : 'failed') : 'completed');
      lms.set(names.exit, '');
    } else {
      lms.set('cmi.completion_status', 'completed');
      lms.set('cmi.success_status', result ? (result.passed ? 'passed' : 'failed') : 'unknown');
      lms.set(names.exit, 'normal');
    }
    lms.set(names.location, String(steps.length - 1));
    lms.set('cmi.suspend_data', '');
    lms.set(names.sessionTime, sessionTime());
    lms.commit();
  }

  function sessionTime() {
    return isScorm12 ? timespan12(Date.now() - startedAt) : duration2004(Date.now() - startedAt);
  }

  function finish() {
    var result = moduleResult();
    if (lms && !readOnly) { recordCompletion(result); }
    if (lms) { lms.finish(); } // in review or browse mode too: the session ends properly
    state.finished = true;
    var text = $(document, '.done-text');
    if (text && result) {
      text.textContent = 'Thank you. Your acknowledgement has been recorded, with a quiz result of ' + result.percent + '% (' +
        (result.passed ? 'passed' : 'not passed') + '). You can now close this module.';
    }
    if (text && !lms) {
      text.textContent = 'You have finished. This module is not connected to a learning management system, so nothing was recorded.';
    }
    if (readOnly) {
      if (text) { text.hidden = true; }
      $(document, '.done-readonly').hidden = false;
    }
    showStep(steps.length - 1, true);
  }

  /* ---- Navigation ---- */

  function next() {
    var kind = stepKind(state.step);
    if (kind === 'quiz') {
      var i = state.step - data.policies.length;
      if (!state.quizzes[i].result) {
        var hint = $(steps[state.step], '.step-hint');
        if (hint) { hint.hidden = false; hint.setAttribute('tabindex', '-1'); hint.focus(); }
        return;
      }
    }
    showStep(state.step + 1, true);
    save();
  }

  function back() {
    showStep(state.step - 1, true);
    save();
  }

  /* A link to a section of a policy (from quiz feedback) opens that policy's step. */
  function followInPageLink(event) {
    var link = event.target.closest && event.target.closest('a[href^="#"]');
    if (!link) { return; }
    var target = document.getElementById(decodeURIComponent(link.getAttribute('href').slice(1)));
    var section = target && target.closest('section.step');
    if (!section || section.hidden === false) { return; }
    event.preventDefault();
    showStep(steps.indexOf(section), false);
    target.setAttribute('tabindex', '-1');
    target.focus();
    target.scrollIntoView();
    save();
  }

  function onAcknowledge(event) {
    event.preventDefault();
    if (ackBlocked()) { updateAckGate(); return; }
    var boxes = $all(ackForm, '.ack-option input[type=checkbox]');
    state.acks = boxes.map(function (b) { return b.checked; });
    var error = $(ackForm, '.ack-error');
    var missing = missingField();
    if (!state.acks.every(Boolean) || missing) {
      error.hidden = false;
      var first = boxes.filter(function (b) { return !b.checked; })[0] || missing;
      if (first) { first.focus(); }
      return;
    }
    error.hidden = true;
    finish();
  }

  /* ---- Start ---- */

  function start() {
    quizzes = quizForms.map(function (form) { return window.PolicybookQuiz.init(form); });
    quizForms.forEach(function (form, i) {
      form.addEventListener('policybook:quiz-marked', function (e) { onQuizMarked(i, e.detail); });
      form.addEventListener('change', function () { remember(); });
    });
    $all(document, '.step-next').forEach(function (b) { b.addEventListener('click', next); });
    $all(document, '.step-back').forEach(function (b) { b.addEventListener('click', back); });
    ackForm.addEventListener('submit', onAcknowledge);
    ackForm.addEventListener('change', function () {
      state.acks = $all(ackForm, '.ack-option input[type=checkbox]').map(function (b) { return b.checked; });
      remember();
    });
    document.addEventListener('click', followInPageLink);
    $all(steps[0], '.step-back').forEach(function (b) { b.hidden = true; });
    var toQuiz = $(document, '.ack-to-quiz');
    if (toQuiz) {
      toQuiz.addEventListener('click', function () { showStep(firstQuizToPass(), true); save(); });
    }
    progressItems.forEach(function (li, n) {
      if (stepKind(n) === 'quiz') {
        var note = document.createElement('span');
        note.className = 'visually-hidden step-state';
        li.appendChild(note);
      }
    });

    var api = findApi();
    if (api) {
      lms = new Lms(api);
      window.policybookLms = lms; // for diagnostics: lms.errors lists every failed call
      if (!lms.initialize()) { lms = null; }
    }
    if (!lms) {
      $(document, '.lms-notice').hidden = false;
      showStep(0, false);
      return;
    }
    var learner = lms.get(names.name);
    if (learner) {
      $(document, '.learner-name').textContent = learner;
      $(document, '.learner').hidden = false;
    }
    var mode = lms.get(names.mode);
    readOnly = mode === 'review' || mode === 'browse';
    if (readOnly) { $(document, '.' + mode + '-notice').hidden = false; }
    var status = lms.get(names.status);
    var entry = lms.get(names.entry);
    // Saved progress exists only after a suspended session (reading it otherwise is an
    // error in SCORM 2004: "not initialized").
    var saved = entry === 'resume' ? lms.get('cmi.suspend_data') : '';
    if (!(saved && restore(saved))) {
      showStep(0, false);
    }
    var finishedBefore = isScorm12 ? /^(passed|failed|completed)$/.test(status) : status === 'completed';
    if (!readOnly && !finishedBefore) {
      lms.set(names.status, 'incomplete');
    }
    save();
  }

  /* The page is hidden (another tab, the phone's home screen, or on its way out): save while
   * requests still go through. */
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden' && lms && !state.finished) { save(); }
  });

  /* Best effort when the page goes away unfinished: keep the place, then end the session, which
   * sends everything set. (Browsers may drop Moodle's synchronous request here, which is why
   * step boundaries commit.) */
  window.addEventListener('pagehide', function () {
    if (!lms || !lms.open || state.finished) { return; }
    remember();
    if (!readOnly) { lms.set(names.sessionTime, sessionTime()); }
    lms.finish();
  });

  /* Back from the browser's page cache after pagehide ended the session: start a new one. */
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && lms && !lms.open && !state.finished) { window.location.reload(); }
  });

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
