// SCORM packages end to end: a parent page provides the LMS API from scorm-again and loads the
// package in an iframe, as Moodle does. For SCORM 1.2 and 2004: all right gives passed and
// 100, a failed quiz must be passed before acknowledging (unless the module allows it, when the
// acknowledgement says so), reloading half-way resumes where the learner stopped, the
// acknowledgement interaction (and in 2004 an objective) carries the policy's digest, review and
// browse mode record nothing and say so, commits happen at step boundaries only, and no API
// call returns an error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExample, buildVariant, buildWithHistory, launch, repoRoot } from './helpers.mjs';

let browser;
let server;
let base;
let build;
const pkgRoot = mkdtempSync(path.join(tmpdir(), 'policybook-pkg-'));
const here = path.dirname(new URL(import.meta.url).pathname);

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.xml': 'application/xml', '.xsd': 'application/xml' };

function serve(req, res) {
  const url = new URL(req.url, 'http://localhost');
  let file;
  if (url.pathname === '/lms/harness.html') file = path.join(here, 'lms', 'harness.html');
  else if (url.pathname === '/lms/scorm-again.js') file = path.join(here, 'node_modules', 'scorm-again', 'dist', 'scorm-again.js');
  else if (url.pathname.startsWith('/pkg/')) file = path.join(pkgRoot, decodeURIComponent(url.pathname.slice(5)));
  if (!file || !file.startsWith(pkgRoot) && !file.startsWith(here) || !existsSync(file) || statSync(file).isDirectory()) {
    res.writeHead(404);
    res.end('not found');
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
}

/** Unzips <build>/scorm/<name>.zip into the folder the server publishes as /pkg/<key>/. */
function unpack(name, from = build, key = name) {
  const dir = path.join(pkgRoot, key);
  if (!existsSync(dir)) execFileSync('unzip', ['-q', path.join(from, 'scorm', `${name}.zip`), '-d', dir]);
  return key;
}

/** Packages of the example project with two more modules: one without a quiz, and one that lets
 *  a learner acknowledge without passing. Built once, when first needed. */
let variant;
function unpackVariant(name) {
  variant ??= buildVariant(`
[[module]]
id = "read-only"
title = "Read and acknowledge"
policies = ["social-media"]
quizzes = []

[[module]]
id = "lenient"
title = "E-Safety, pass not required"
policies = ["e-safety"]
require_pass = false
`);
  return unpack(name, variant, `variant-${name}`);
}

before(async () => {
  build = buildExample();
  server = createServer(serve);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** The content digest as README.md defines it, computed independently of policybook. */
function digestOf(policyFile) {
  let text = readFileSync(path.join(repoRoot, policyFile), 'utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  text = text.replace(/\r\n/g, '\n').replace(/\r/g, '\n');
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The learner leaves: the page is hidden first (the package commits then, while requests
 *  still go through), then closed (it ends the session). */
async function leave(page, frame) {
  await frame.evaluate(() => {
    Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true });
    document.dispatchEvent(new Event('visibilitychange'));
  });
  await page.close({ runBeforeUnload: true });
}

/** A screenshot in target/, to look at. */
async function shot(page, name) {
  await page.screenshot({ path: path.join(repoRoot, 'target', name), fullPage: true });
}

/** Opens the harness on a package; returns the page, the package's frame and the commits. */
async function open(version, pkg, init) {
  const page = await browser.newPage();
  const commits = [];
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(e.message));
  await page.exposeFunction('recordCommit', (json) => commits.push(JSON.parse(json)));
  const query = new URLSearchParams({ v: version, pkg });
  if (init) query.set('init', JSON.stringify(init));
  await page.goto(`${base}/lms/harness.html?${query}`);
  const frame = await (await page.waitForSelector('#sco')).contentFrame();
  await frame.waitForSelector('section.step:not([hidden])');
  return { page, frame, commits, pageErrors };
}

async function visibleStep(frame) {
  return frame.$eval('section.step:not([hidden])', (s) => s.className);
}

async function next(frame) {
  await frame.click('section.step:not([hidden]) .step-next');
}

/** Answers the visible quiz, rightly or wrongly, by clicking and typing. */
async function answerQuiz(frame, { right, only }) {
  const form = 'section.step:not([hidden]) form.quiz';
  const key = await frame.$eval(`${form} script.quiz-key`, (s) => JSON.parse(s.textContent));
  let ids = await frame.$$eval(`${form} fieldset.question:not([hidden])`, (fs) => fs.map((f) => f.dataset.question));
  if (only) ids = ids.slice(0, only);
  for (const id of ids) {
    const q = key.questions[id];
    const fs = `${form} fieldset[data-question="${id}"]`;
    if (q.type === 'single' || q.type === 'multiple') {
      const pick = right ? q.options.filter((o) => o.correct) : [q.options.find((o) => !o.correct)];
      for (const o of pick) await frame.check(`${fs} input[value="${o.id}"]`);
    } else if (q.type === 'true-false') {
      await frame.check(`${fs} input[value="${right ? q.answer : !q.answer}"]`);
    } else if (q.type === 'short') {
      await frame.fill(`${fs} input[type=text]`, right ? q.accepted[0] : 'something else');
    } else if (q.type === 'matching') {
      const n = q.pairs.length;
      for (let i = 0; i < n; i++) {
        await frame.selectOption(`${fs} select[data-left="${q.pairs[i].left}"]`, right ? q.pairs[i].right : q.pairs[(i + 1) % n].right);
      }
    }
  }
  return ids;
}

async function acknowledgeAndFinish(frame) {
  for (const box of await frame.$$('section.step-ack input[type=checkbox]')) await box.check();
  await frame.click('section.step-ack .ack-finish');
  await frame.waitForSelector('section.step-done:not([hidden])');
}

const FIELDS = {
  '1.2': { status: 'cmi.core.lesson_status', raw: 'cmi.core.score.raw', min: 'cmi.core.score.min', max: 'cmi.core.score.max', response: 'student_response', exit: 'cmi.core.exit', session: 'cmi.core.session_time' },
  '2004': { status: 'cmi.success_status', raw: 'cmi.score.raw', min: 'cmi.score.min', max: 'cmi.score.max', response: 'learner_response', exit: 'cmi.exit', session: 'cmi.session_time' },
};

function interactions(cmi) {
  const out = [];
  for (let n = 0; cmi[`cmi.interactions.${n}.id`] !== undefined; n++) {
    out.push({
      id: cmi[`cmi.interactions.${n}.id`],
      type: cmi[`cmi.interactions.${n}.type`],
      result: cmi[`cmi.interactions.${n}.result`],
      response: cmi[`cmi.interactions.${n}.student_response`] ?? cmi[`cmi.interactions.${n}.learner_response`],
    });
  }
  return out;
}

for (const version of ['1.2', '2004']) {
  const suffix = version === '1.2' ? 'scorm12' : 'scorm2004';
  const f = FIELDS[version];

  test(`SCORM ${version}: all answers right gives passed, score 100, and a self-describing acknowledgement`, async () => {
    const pkg = unpack(`e-safety-${suffix}`);
    const { page, frame, commits, pageErrors } = await open(version, pkg, { [version === '1.2' ? 'cmi.core.student_name' : 'cmi.learner_name']: 'Okafor, Grace' });
    assert.equal(await frame.textContent('.learner-name'), 'Okafor, Grace');
    assert.match(await frame.textContent('.progress-text'), /Step 1 of 3/);
    await next(frame);
    assert.match(await visibleStep(frame), /step-quiz/);
    // The quiz cannot be skipped.
    await next(frame);
    assert.match(await visibleStep(frame), /step-quiz/);
    const asked = await answerQuiz(frame, { right: true });
    await frame.click('section.step:not([hidden]) button.quiz-submit');
    await next(frame);
    assert.match(await visibleStep(frame), /step-ack/);
    assert.match(await frame.textContent('section.step-ack label'), /I have read and understood the E-Safety Policy, version 3\.1\./);
    await acknowledgeAndFinish(frame);

    const cmi = commits.at(-1);
    assert.equal(cmi[f.status], 'passed');
    if (version === '2004') {
      assert.equal(cmi['cmi.completion_status'], 'completed');
      assert.equal(cmi['cmi.score.scaled'], '1');
    }
    assert.equal(cmi[f.raw], '100');
    assert.equal(cmi[f.min], '0');
    assert.equal(cmi[f.max], '100');
    assert.equal(cmi[f.exit], version === '1.2' ? '' : 'normal');
    const list = interactions(cmi);
    assert.equal(list.length, asked.length + 1, 'one interaction per answered question and one acknowledgement');
    assert.deepEqual(list.slice(0, -1).map((i) => i.id), asked);
    assert.ok(list.slice(0, -1).every((i) => i.result === 'correct'), JSON.stringify(list));
    const ack = list.at(-1);
    assert.equal(ack.id, 'ack-e-safety');
    assert.equal(ack.response, `ack:e-safety:3.1:sha256:${digestOf('content/e-safety.md')}`);
    assert.ok(ack.response.length <= 255);
    if (version === '2004') {
      // Moodle's reports show no 2004 interaction responses: the Objectives report shows this.
      assert.equal(cmi['cmi.objectives.0.id'], ack.response);
      assert.equal(cmi['cmi.objectives.0.completion_status'], 'completed');
      assert.equal(cmi['cmi.objectives.0.success_status'], 'passed');
    }
    // Every call succeeded, and the session ended.
    const failures = await page.evaluate(() => window.failures);
    assert.deepEqual(failures, []);
    const calls = await page.evaluate(() => window.calls.map((c) => c.method));
    assert.equal(calls[0], version === '1.2' ? 'LMSInitialize' : 'Initialize');
    assert.equal(calls.at(-1), version === '1.2' ? 'LMSFinish' : 'Terminate');
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test(`SCORM ${version}: a failed quiz must be passed before the learner can acknowledge`, async () => {
    const pkg = unpack(`e-safety-${suffix}`);
    const { page, frame, commits } = await open(version, pkg);
    await next(frame);
    await answerQuiz(frame, { right: false });
    await frame.click('section.step:not([hidden]) button.quiz-submit');
    await next(frame);
    assert.match(await visibleStep(frame), /step-ack/);
    assert.match(await frame.textContent('.quiz-summary'), /0%, not passed yet/);
    assert.equal(await frame.isVisible('.ack-blocked'), true);
    assert.match(await frame.textContent('.ack-blocked'), /Pass the quiz before you acknowledge/);
    assert.equal(await frame.isDisabled('section.step-ack input[type=checkbox]'), true);
    assert.equal(await frame.isDisabled('section.step-ack .ack-finish'), true);
    // The failed quiz step shows as failed, not done.
    const quizItem = 'section.progress li:nth-child(2)';
    assert.deepEqual(await frame.$eval(quizItem, (li) => [...li.classList]), ['failed']);
    assert.match(await frame.textContent(quizItem), /\(not passed\)/);
    assert.equal(await frame.$eval(quizItem, (li) => getComputedStyle(li, '::after').content), '" ✗"');
    if (version === '1.2') await shot(page, 'scorm-failed-quiz.png');
    // Nothing is recorded as finished: the status stays incomplete.
    assert.equal(commits.at(-1)[version === '1.2' ? 'cmi.core.lesson_status' : 'cmi.completion_status'], 'incomplete');
    await frame.click('.ack-to-quiz');
    assert.match(await visibleStep(frame), /step-quiz/);
    await frame.click('section.step:not([hidden]) button.quiz-retry');
    await answerQuiz(frame, { right: true });
    await frame.click('section.step:not([hidden]) button.quiz-submit');
    await next(frame);
    assert.equal(await frame.isVisible('.ack-blocked'), false);
    assert.deepEqual(await frame.$eval(quizItem, (li) => [...li.classList]), ['done']);
    await acknowledgeAndFinish(frame);
    assert.equal(commits.at(-1)[f.status], 'passed');
    assert.deepEqual(await page.evaluate(() => window.failures), []);
    await page.close();
  });

  test(`SCORM ${version}: where a module allows acknowledging without a pass, the acknowledgement says so`, async () => {
    const pkg = unpackVariant(`lenient-${suffix}`);
    const { page, frame, commits } = await open(version, pkg);
    await next(frame);
    await answerQuiz(frame, { right: false });
    await frame.click('section.step:not([hidden]) button.quiz-submit');
    await next(frame);
    assert.equal(await frame.isVisible('.ack-blocked'), false);
    await acknowledgeAndFinish(frame);
    const cmi = commits.at(-1);
    assert.equal(cmi[f.status], 'failed');
    assert.equal(cmi[f.raw], '0');
    const list = interactions(cmi);
    const results = list.slice(0, -1).map((i) => i.result);
    assert.ok(results.length > 0 && results.every((r) => r === (version === '1.2' ? 'wrong' : 'incorrect')), results.join());
    assert.match(list.at(-1).response, /^ack:e-safety:3\.1:sha256:[0-9a-f]{64}:quiz-failed$/);
    if (version === '2004') {
      assert.equal(cmi['cmi.objectives.0.id'], list.at(-1).response);
      assert.equal(cmi['cmi.objectives.0.success_status'], 'failed');
    }
    assert.deepEqual(await page.evaluate(() => window.failures), []);
    await page.close();
  });

  test(`SCORM ${version}: a module without a quiz scores 100 on acknowledgement`, async () => {
    const pkg = unpackVariant(`read-only-${suffix}`);
    const { page, frame, commits } = await open(version, pkg);
    assert.equal(await frame.$('script[src="assets/quiz.js"]'), null, 'no quiz, no quiz.js');
    await next(frame);
    await acknowledgeAndFinish(frame);
    const cmi = commits.at(-1);
    assert.equal(cmi[f.raw], '100');
    assert.equal(cmi[f.max], '100');
    if (version === '1.2') {
      assert.equal(cmi['cmi.core.lesson_status'], 'completed');
    } else {
      assert.equal(cmi['cmi.completion_status'], 'completed');
      assert.equal(cmi['cmi.score.scaled'], '1');
    }
    assert.deepEqual(await page.evaluate(() => window.failures), []);
    await page.close();
  });

  test(`SCORM ${version}: in review mode the module says nothing is recorded, records nothing, and ends the session`, async () => {
    const pkg = unpack(`e-safety-${suffix}`);
    const mode = version === '1.2' ? 'cmi.core.lesson_mode' : 'cmi.mode';
    const status = version === '1.2' ? { 'cmi.core.lesson_status': 'failed' } : { 'cmi.completion_status': 'completed', 'cmi.success_status': 'failed' };
    const { page, frame, pageErrors } = await open(version, pkg, { [mode]: 'review', ...status });
    assert.equal(await frame.isVisible('.review-notice'), true);
    assert.match(await frame.textContent('.review-notice'), /nothing you do here is recorded.*Start a new attempt/s);
    if (version === '1.2') await shot(page, 'scorm-review-mode.png');
    await next(frame);
    await answerQuiz(frame, { right: true });
    await frame.click('section.step:not([hidden]) button.quiz-submit');
    await next(frame);
    await acknowledgeAndFinish(frame);
    assert.equal(await frame.isVisible('.done-text'), false);
    assert.match(await frame.textContent('.done-readonly'), /Nothing was recorded/);
    const calls = await page.evaluate(() => window.calls.map((c) => c.method));
    const writes = calls.filter((m) => /SetValue|Commit/.test(m));
    assert.deepEqual(writes, [], 'no value set, nothing committed');
    assert.equal(calls.at(-1), version === '1.2' ? 'LMSFinish' : 'Terminate');
    assert.deepEqual(await page.evaluate(() => window.failures), []);
    assert.deepEqual(pageErrors, []);
    await page.close();
  });

  test(`SCORM ${version}: leaving half-way and coming back resumes where the learner stopped`, async () => {
    const pkg = unpack(`e-safety-${suffix}`);
    const first = await open(version, pkg);
    await next(first.frame);
    const answered = await answerQuiz(first.frame, { right: true, only: 3 });
    const drawn = await first.frame.$$eval('section.step:not([hidden]) fieldset.question:not([hidden])', (fs) => fs.map((f) => f.dataset.question));
    const checked = await first.frame.$$eval('section.step:not([hidden]) input:checked', (els) => els.map((e) => e.id));
    assert.deepEqual(await first.page.evaluate(() => window.failures), []);
    await leave(first.page, first.frame);

    // What the LMS kept: the last commit, with the exit that makes the next entry a resume.
    const saved = first.commits.at(-1);
    assert.equal(saved[f.exit], 'suspend');
    assert.equal(saved[version === '1.2' ? 'cmi.core.lesson_status' : 'cmi.completion_status'], 'incomplete');
    const suspend = saved['cmi.suspend_data'];
    assert.ok(suspend.length > 0 && suspend.length <= 4096, `suspend_data is ${suspend.length} characters`);
    const init = {
      'cmi.suspend_data': suspend,
      [version === '1.2' ? 'cmi.core.lesson_location' : 'cmi.location']: saved[version === '1.2' ? 'cmi.core.lesson_location' : 'cmi.location'],
      [version === '1.2' ? 'cmi.core.entry' : 'cmi.entry']: 'resume',
      [version === '1.2' ? 'cmi.core.lesson_status' : 'cmi.completion_status']: 'incomplete',
    };
    const second = await open(version, pkg, init);
    assert.match(await visibleStep(second.frame), /step-quiz/, 'back on the quiz');
    assert.match(await second.frame.textContent('.progress-text'), /Step 2 of 3/);
    const drawnAgain = await second.frame.$$eval('section.step:not([hidden]) fieldset.question:not([hidden])', (fs) => fs.map((f) => f.dataset.question));
    assert.deepEqual(drawnAgain, drawn, 'the same questions');
    const checkedAgain = await second.frame.$$eval('section.step:not([hidden]) input:checked', (els) => els.map((e) => e.id));
    assert.deepEqual(checkedAgain, checked, 'the same answers');
    assert.ok(answered.length === 3);
    // Finishing from there works.
    await answerQuiz(second.frame, { right: true });
    await second.frame.click('section.step:not([hidden]) button.quiz-submit');
    await next(second.frame);
    await acknowledgeAndFinish(second.frame);
    assert.equal(second.commits.at(-1)[f.status], 'passed');
    assert.deepEqual(await second.page.evaluate(() => window.failures), []);
    await second.page.close();
  });

  test(`SCORM ${version}: a combined induction module passes only when every quiz is passed`, async () => {
    const pkg = unpack(`new-staff-induction-${suffix}`);
    const { page, frame, commits } = await open(version, pkg);
    const kinds = await frame.$eval('#module-data', (s) => JSON.parse(s.textContent).steps);
    for (const kind of kinds) {
      if (kind === 'policy') await next(frame);
      if (kind === 'quiz') {
        await answerQuiz(frame, { right: true });
        await frame.click('section.step:not([hidden]) button.quiz-submit');
        await next(frame);
      }
    }
    await acknowledgeAndFinish(frame);
    const cmi = commits.at(-1);
    assert.equal(cmi[f.status], 'passed');
    assert.equal(cmi[f.raw], '100');
    const acks = interactions(cmi).filter((i) => i.id.startsWith('ack-'));
    assert.ok(acks.length >= 2, 'one acknowledgement per policy');
    // Commits at step boundaries (one per Next), at the start and on the acknowledgement: not
    // after every answer (each is a synchronous request that blocks the page in Moodle).
    const calls = await page.evaluate(() => window.calls.map((c) => c.method));
    const commitCount = calls.filter((m) => m === 'LMSCommit' || m === 'Commit').length;
    const nexts = kinds.length - 2;
    assert.ok(commitCount <= nexts + 2, `${commitCount} commits for ${nexts} steps`);
    console.log(`# SCORM ${version} induction run: ${commitCount} commits, ${calls.filter((m) => /SetValue/.test(m)).length} values set`);
    assert.deepEqual(await page.evaluate(() => window.failures), []);
    await page.close();
  });
}

test('in browse (preview) mode the module says nothing is recorded', async () => {
  const pkg = unpack('e-safety-scorm12');
  const { page, frame } = await open('1.2', pkg, { 'cmi.core.lesson_mode': 'browse' });
  assert.equal(await frame.isVisible('.browse-notice'), true);
  assert.equal(await frame.isVisible('.review-notice'), false);
  assert.match(await frame.textContent('.browse-notice'), /Preview only: nothing you do here is recorded.*press Enter instead of Preview/s);
  await page.close({ runBeforeUnload: true });
});

test('progress saved by another version of the package is not restored', async () => {
  const pkg = unpack('e-safety-scorm12');
  const first = await open('1.2', pkg);
  await next(first.frame);
  await answerQuiz(first.frame, { right: true });
  await first.frame.click('section.step:not([hidden]) button.quiz-submit');
  await next(first.frame);
  await first.frame.check('section.step-ack input[type=checkbox]');
  await leave(first.page, first.frame);
  const saved = JSON.parse(first.commits.at(-1)['cmi.suspend_data']);
  assert.equal(saved.k, '1', 'the acknowledgement was ticked');
  // The same learner comes back after the package was replaced with a new policy version.
  saved.h = '000000000000';
  const second = await open('1.2', pkg, {
    'cmi.suspend_data': JSON.stringify(saved),
    'cmi.core.lesson_location': '2',
    'cmi.core.entry': 'resume',
    'cmi.core.lesson_status': 'incomplete',
  });
  assert.match(await visibleStep(second.frame), /step-policy/, 'starts again at the policy');
  assert.equal(await second.frame.isChecked('section.step-ack input[type=checkbox]'), false, 'no acknowledgement carried over');
  assert.deepEqual(await second.page.evaluate(() => window.failures), []);
  await second.page.close();
});

test('a learner who was reading an earlier version sees what changed since, first', async () => {
  const history = buildWithHistory();
  for (const [version, suffix, fields] of [
    ['1.2', 'scorm12', { 'cmi.core.entry': 'resume', 'cmi.core.lesson_location': '0', 'cmi.core.lesson_status': 'incomplete' }],
    ['2004', 'scorm2004', { 'cmi.entry': 'resume', 'cmi.location': '0', 'cmi.completion_status': 'incomplete' }],
  ]) {
    const pkg = unpack(`e-safety-${suffix}`, history.out, `history-e-safety-${suffix}`);
    // Progress saved by the 3.0 package (another fingerprint, another version).
    const saved = { v: 1, h: '000000000000', s: 0, q: [], k: '0', p: { 'e-safety': '3.0' } };
    const { page, frame, pageErrors } = await open(version, pkg, { 'cmi.suspend_data': JSON.stringify(saved), ...fields });
    const notice = frame.locator('section.step-policy .changes-you');
    assert.equal(await notice.isVisible(), true, `${version}: no changes notice`);
    assert.match(await notice.textContent(), /You were reading version 3\.0; this is version 3\.1/);
    const changes = frame.locator('details.changes-from[data-from="3.0"]');
    assert.equal(await changes.evaluate((d) => d.open), true);
    assert.match(await changes.locator('del').first().textContent(), /upsets/);
    assert.match(await changes.locator('ins').first().textContent(), /worries/);
    if (version === '1.2') await shot(page, 'scorm-changes-since.png');
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(await page.evaluate(() => window.failures), []);
    await page.close();
  }
  // A learner starting afresh is not told anything changed, but can look.
  const pkg = unpack('e-safety-scorm12', history.out, 'history-e-safety-scorm12');
  const fresh = await open('1.2', pkg);
  assert.equal(await fresh.frame.locator('.changes-you').isVisible(), false);
  assert.equal(await fresh.frame.locator('details.changes-from[data-from="3.0"] > summary').textContent(), 'What changed since version 3.0');
  await fresh.page.close();
  // The package carries the redline's stylesheet only because it shows one.
  assert.ok(existsSync(path.join(pkgRoot, 'history-e-safety-scorm12', 'assets', 'changes.css')));
  assert.ok(!existsSync(path.join(pkgRoot, unpack('e-safety-scorm12'), 'assets', 'changes.css')));
});

test('with no LMS the module says so and still works to the end', async () => {
  const pkg = unpack('e-safety-scorm12');
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${base}/pkg/${pkg}/index.html`);
  assert.equal(await page.isVisible('.lms-notice'), true);
  await page.click('section.step:not([hidden]) .step-next');
  await answerQuiz(page, { right: true });
  await page.click('section.step:not([hidden]) button.quiz-submit');
  await page.click('section.step:not([hidden]) .step-next');
  await acknowledgeAndFinish(page);
  assert.match(await page.textContent('.done-text'), /nothing was recorded/);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: path.join(repoRoot, 'target', 'scorm-no-lms.png'), fullPage: false });
  await page.close();
});
