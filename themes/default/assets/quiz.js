/* policybook quiz engine: marks a server-rendered quiz form in the browser.
 *
 * No dependencies and no network requests, so it works from file:// and inside SCORM packages.
 * The page holds the form (one fieldset per question) and the answer key as JSON in
 * <script type="application/json" class="quiz-key">. The engine draws and shuffles questions,
 * marks the answers, shows feedback with links back to the policy, and reports the result:
 *   form.addEventListener('policybook:quiz-marked', e => e.detail)   // see markQuiz()
 * getState()/setState() let a SCORM player save and restore an attempt.
 */
(function () {
  'use strict';

  function $(root, sel) { return root.querySelector(sel); }
  function $all(root, sel) { return Array.prototype.slice.call(root.querySelectorAll(sel)); }

  /* Fisher–Yates with Math.random: attempts differ, which is the point of drawing. */
  function shuffled(list) {
    var a = list.slice();
    for (var i = a.length - 1; i > 0; i--) {
      var j = Math.floor(Math.random() * (i + 1));
      var t = a[i]; a[i] = a[j]; a[j] = t;
    }
    return a;
  }

  function normaliseText(s) {
    return String(s || '').trim().replace(/\s+/g, ' ').toLowerCase();
  }

  function Quiz(form) {
    this.form = form;
    this.key = JSON.parse($(form, 'script.quiz-key').textContent);
    this.questions = $all(form, 'fieldset.question');
    this.byId = {};
    var self = this;
    this.questions.forEach(function (fs) { self.byId[fs.getAttribute('data-question')] = fs; });
    this.status = $(form, '.quiz-status');
    this.submitButton = $(form, 'button.quiz-submit');
    this.retryButton = $(form, 'button.quiz-retry');
    this.startedAt = Date.now();
    this.changedAt = {};
    this.marked = null;
    form.addEventListener('submit', function (e) { e.preventDefault(); self.mark(); });
    form.addEventListener('change', function (e) { self.noteChange(e.target); });
    form.addEventListener('input', function (e) { self.noteChange(e.target); });
    if (this.retryButton) {
      this.retryButton.addEventListener('click', function () { self.newAttempt(); });
    }
    form.classList.add('quiz-ready');
  }

  Quiz.prototype.noteChange = function (input) {
    var fs = input.closest && input.closest('fieldset.question');
    if (fs) { this.changedAt[fs.getAttribute('data-question')] = Date.now(); }
  };

  /* Picks the questions of this attempt and the order of their options. */
  Quiz.prototype.newAttempt = function () {
    var ids = this.questions.map(function (fs) { return fs.getAttribute('data-question'); });
    var draw = this.key.draw;
    var chosen = draw && draw < ids.length ? shuffled(ids).slice(0, draw) : ids;
    // Keep the author's order for the questions that were drawn.
    chosen = ids.filter(function (id) { return chosen.indexOf(id) >= 0; });
    var order = {};
    var self = this;
    chosen.forEach(function (id) {
      var options = $all(self.byId[id], '.option').map(function (o) { return o.getAttribute('data-option'); });
      order[id] = self.key.shuffle && self.key.questions[id].type !== 'true-false' ? shuffled(options) : options;
    });
    this.setState({ questions: chosen, order: order, answers: {} });
    // Latency is measured from the start of this attempt.
    this.startedAt = Date.now();
    this.changedAt = {};
    var first = $(this.form, 'fieldset.question:not([hidden]) input, fieldset.question:not([hidden]) select');
    if (first && this.form.getAttribute('data-focus-on-retry') !== 'no' && this.marked) { first.focus(); }
    this.marked = null;
  };

  /* The attempt as plain data: drawn question ids, option order, answers given so far. */
  Quiz.prototype.getState = function () {
    var self = this;
    var answers = {};
    this.activeIds().forEach(function (id) {
      var a = self.answerOf(id);
      if (a !== null) { answers[id] = a; }
    });
    return { questions: this.activeIds(), order: this.order || {}, answers: answers };
  };

  Quiz.prototype.setState = function (state) {
    var self = this;
    this.order = state.order || {};
    this.clearFeedback();
    this.questions.forEach(function (fs) {
      var id = fs.getAttribute('data-question');
      var active = state.questions.indexOf(id) >= 0;
      fs.hidden = !active;
      $all(fs, 'input, select').forEach(function (el) { el.disabled = !active; });
      if (!active) { return; }
      var list = $(fs, '.options');
      (self.order[id] || []).forEach(function (optionId) {
        var el = $(fs, '.option[data-option="' + optionId + '"]');
        if (el && list) { list.appendChild(el); }
      });
      self.setAnswer(id, state.answers ? state.answers[id] : null);
    });
    var n = 0;
    this.questions.forEach(function (fs) {
      if (!fs.hidden) { n += 1; var num = $(fs, '.q-number'); if (num) { num.textContent = 'Question ' + n + ' of ' + state.questions.length; } }
    });
    var count = $(this.form, '.quiz-count');
    if (count) { count.textContent = String(state.questions.length); }
    if (this.submitButton) { this.submitButton.hidden = false; }
    if (this.retryButton) { this.retryButton.hidden = true; }
    if (this.status) { this.status.textContent = ''; this.status.className = 'quiz-status'; }
  };

  Quiz.prototype.activeIds = function () {
    return this.questions.filter(function (fs) { return !fs.hidden; })
      .map(function (fs) { return fs.getAttribute('data-question'); });
  };

  /* The learner's answer: option ids, true/false, text, or {left: right} pairs; null if none. */
  Quiz.prototype.answerOf = function (id) {
    var fs = this.byId[id];
    var type = this.key.questions[id].type;
    if (type === 'single' || type === 'multiple') {
      var chosen = $all(fs, 'input:checked').map(function (i) { return i.value; });
      return chosen.length ? chosen : null;
    }
    if (type === 'true-false') {
      var tf = $(fs, 'input:checked');
      return tf ? tf.value === 'true' : null;
    }
    if (type === 'short') {
      var text = $(fs, 'input[type=text]').value;
      return text.trim() ? text : null;
    }
    if (type === 'matching') {
      var pairs = {};
      var any = false;
      $all(fs, 'select').forEach(function (s) { if (s.value) { pairs[s.getAttribute('data-left')] = s.value; any = true; } });
      return any ? pairs : null;
    }
    return null;
  };

  Quiz.prototype.setAnswer = function (id, answer) {
    var fs = this.byId[id];
    var type = this.key.questions[id].type;
    $all(fs, 'input[type=radio], input[type=checkbox]').forEach(function (i) {
      i.checked = type === 'true-false' ? (answer !== null && answer !== undefined && i.value === String(answer))
        : Array.isArray(answer) && answer.indexOf(i.value) >= 0;
    });
    var text = $(fs, 'input[type=text]');
    if (text) { text.value = typeof answer === 'string' ? answer : ''; }
    $all(fs, 'select').forEach(function (s) {
      s.value = answer && typeof answer === 'object' && answer[s.getAttribute('data-left')] || '';
    });
  };

  /* Score of one question from 0 to 1, as Moodle marks it. */
  Quiz.prototype.scoreOf = function (id, answer) {
    var q = this.key.questions[id];
    if (answer === null) { return 0; }
    if (q.type === 'single') {
      var option = q.options.filter(function (o) { return o.id === answer[0]; })[0];
      return option && option.correct ? 1 : 0;
    }
    if (q.type === 'multiple') {
      var sum = 0;
      q.options.forEach(function (o) { if (answer.indexOf(o.id) >= 0) { sum += o.weight; } });
      // Thirds are written 33.33333: a sum within 0.001 of 100 is full marks, as in Moodle.
      var fraction = Math.max(0, Math.min(100, sum)) / 100;
      return fraction > 0.99999 ? 1 : fraction;
    }
    if (q.type === 'true-false') { return answer === q.answer ? 1 : 0; }
    if (q.type === 'short') {
      var given = normaliseText(answer);
      return q.accepted.some(function (a) { return normaliseText(a) === given; }) ? 1 : 0;
    }
    if (q.type === 'matching') {
      var right = 0;
      q.pairs.forEach(function (p) { if (answer[p.left] === p.right) { right += 1; } });
      return q.pairs.length ? right / q.pairs.length : 0;
    }
    return 0;
  };

  Quiz.prototype.clearFeedback = function () {
    $all(this.form, '.question-feedback').forEach(function (el) { el.hidden = true; el.innerHTML = ''; });
    $all(this.form, 'fieldset.question').forEach(function (fs) { fs.classList.remove('is-correct', 'is-partly', 'is-wrong'); });
  };

  /* Marks the attempt, shows the result and per-question feedback, and reports it. */
  Quiz.prototype.mark = function () {
    var self = this;
    var ids = this.activeIds();
    var now = Date.now();
    var total = 0;
    var answers = ids.map(function (id) {
      var answer = self.answerOf(id);
      var score = self.scoreOf(id, answer);
      total += score;
      self.showFeedback(id, answer, score);
      return {
        id: id,
        type: self.key.questions[id].type,
        answer: answer,
        score: score,
        correct: score >= 1,
        key: self.key.questions[id],
        latencyMs: (self.changedAt[id] || now) - self.startedAt
      };
    });
    var percent = ids.length ? Math.round((total / ids.length) * 100) : 0;
    var passed = percent >= this.key.pass_mark;
    var correct = answers.filter(function (a) { return a.correct; }).length;
    this.marked = { percent: percent, passed: passed, correct: correct, total: ids.length, passMark: this.key.pass_mark, answers: answers };
    if (this.status) {
      this.status.className = 'quiz-status ' + (passed ? 'is-pass' : 'is-fail');
      this.status.innerHTML = '';
      var h = document.createElement('h2');
      h.textContent = (passed ? 'Passed: ' : 'Not passed yet: ') + 'you scored ' + percent + '%';
      var p = document.createElement('p');
      p.textContent = correct + ' of ' + ids.length + ' questions right. The pass mark is ' + this.key.pass_mark + '%.' +
        (passed ? '' : ' Read the feedback under each question, re-read the sections it links to, then try again.');
      this.status.appendChild(h);
      this.status.appendChild(p);
      this.status.setAttribute('tabindex', '-1');
      this.status.focus();
    }
    if (this.submitButton) { this.submitButton.hidden = true; }
    if (this.retryButton) { this.retryButton.hidden = false; }
    this.form.dispatchEvent(new CustomEvent('policybook:quiz-marked', { detail: this.marked, bubbles: true }));
    return this.marked;
  };

  /* "Re-read: <section>", built as nodes: the URL and title are data, never markup. */
  function seeLink(see) {
    var p = document.createElement('p');
    p.className = 'see';
    p.appendChild(document.createTextNode('Re-read: '));
    var a = document.createElement('a');
    a.setAttribute('href', see.url);
    a.textContent = see.title;
    p.appendChild(a);
    return p;
  }

  /* The visible text of the option whose input has this value. */
  function optionText(fs, value) {
    var input = $all(fs, 'input[type=radio], input[type=checkbox]').filter(function (i) { return i.value === value; })[0];
    var label = input && $(fs, 'label[for="' + input.id + '"]');
    return label ? label.textContent.trim() : value;
  }

  /* "The correct answer: …", as Moodle's review shows it once an attempt is marked; built as
     text nodes from the page's own option labels. */
  function rightAnswer(q, fs) {
    var answers = [];
    if (q.type === 'single' || q.type === 'multiple') {
      q.options.forEach(function (o) { if (o.correct || o.weight > 0) { answers.push(optionText(fs, o.id)); } });
    } else if (q.type === 'true-false') {
      answers.push(q.answer ? 'True' : 'False');
    } else if (q.type === 'short') {
      answers.push(q.accepted[0]);
    } else if (q.type === 'matching') {
      q.pairs.forEach(function (p) {
        var select = $all(fs, 'select').filter(function (s) { return s.getAttribute('data-left') === p.left; })[0];
        var choice = select && $all(select, 'option').filter(function (o) { return o.value === p.right; })[0];
        var prompt = select && select.id && $(fs, 'label[for="' + select.id + '"]');
        answers.push((prompt ? prompt.textContent.trim() : p.left) + ': ' + (choice ? choice.textContent.trim() : p.right));
      });
    }
    var para = document.createElement('p');
    para.className = 'right-answer';
    var lead = document.createElement('strong');
    lead.textContent = q.type === 'matching' ? 'The right matches: ' : answers.length > 1 ? 'The correct answers: ' : 'The correct answer: ';
    para.appendChild(lead);
    para.appendChild(document.createTextNode(answers.join('; ')));
    return para;
  }

  Quiz.prototype.showFeedback = function (id, answer, score) {
    var q = this.key.questions[id];
    var fs = this.byId[id];
    var box = $(fs, '.question-feedback');
    if (!box) { return; }
    fs.classList.add(score >= 1 ? 'is-correct' : score > 0 ? 'is-partly' : 'is-wrong');
    var parts = [];
    var verdict = score >= 1 ? 'Correct.' : score > 0 ? 'Partly correct.' : answer === null ? 'Not answered.' : 'Not correct.';
    parts.push('<p class="verdict">' + verdict + '</p>');
    if (answer !== null) {
      if (q.type === 'single' || q.type === 'multiple') {
        q.options.forEach(function (o) { if (answer.indexOf(o.id) >= 0 && o.feedback) { parts.push('<p>' + o.feedback + '</p>'); } });
      } else if (q.type === 'true-false') {
        var fb = answer ? q.feedback_true : q.feedback_false;
        if (fb) { parts.push('<p>' + fb + '</p>'); }
      } else if (q.type === 'short' && q.answer_feedback && score >= 1) {
        parts.push('<p>' + q.answer_feedback + '</p>');
      }
    }
    if (q.feedback) { parts.push('<div class="general-feedback">' + q.feedback + '</div>'); }
    box.innerHTML = parts.join('');
    if (score < 1) { box.appendChild(rightAnswer(q, fs)); }
    if (q.see && score < 1) { box.appendChild(seeLink(q.see)); }
    box.hidden = false;
  };

  window.PolicybookQuiz = {
    /* Sets up a quiz form; `state` restores a saved attempt, otherwise a new one is drawn. */
    init: function (form, state) {
      var quiz = new Quiz(form);
      if (state && state.questions && state.questions.length) { quiz.setState(state); } else { quiz.newAttempt(); }
      return quiz;
    }
  };

  document.addEventListener('DOMContentLoaded', function () {
    $all(document, 'form.quiz[data-autostart=yes]').forEach(function (form) { window.PolicybookQuiz.init(form); });
  });
})();
