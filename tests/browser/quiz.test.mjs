// The website quiz in a real browser: answered right it passes, answered wrong it fails and
// explains why, keyboard only works, and nothing is fetched from elsewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary, buildExample, fileUrl, launch, forbidRemoteRequests, repoRoot } from './helpers.mjs';

let browser;
let site;

before(async () => {
  site = path.join(buildExample(), 'site');
  browser = await launch();
});
after(async () => { await browser?.close(); });

/** The answer key the page carries for its script. */
async function keyOf(page) {
  return page.evaluate(() => JSON.parse(document.querySelector('script.quiz-key').textContent));
}

async function visibleQuestions(page) {
  return page.$$eval('fieldset.question:not([hidden])', (fs) => fs.map((f) => f.dataset.question));
}

/** Answers every visible question, rightly or wrongly, by clicking and typing as a person would. */
async function answerAll(page, { right }) {
  const key = await keyOf(page);
  for (const id of await visibleQuestions(page)) {
    const q = key.questions[id];
    const fs = `fieldset[data-question="${id}"]`;
    if (q.type === 'single' || q.type === 'multiple') {
      const pick = right
        ? q.options.filter((o) => o.correct)
        : [q.options.find((o) => !o.correct)];
      for (const o of pick) await page.check(`${fs} input[value="${o.id}"]`);
    } else if (q.type === 'true-false') {
      await page.check(`${fs} input[value="${right ? q.answer : !q.answer}"]`);
    } else if (q.type === 'short') {
      await page.fill(`${fs} input[type=text]`, right ? `  ${q.accepted[0].toUpperCase()} ` : 'not the answer');
    } else if (q.type === 'matching') {
      const n = q.pairs.length;
      for (let i = 0; i < n; i++) {
        const target = right ? q.pairs[i].right : q.pairs[(i + 1) % n].right;
        await page.selectOption(`${fs} select[data-left="${q.pairs[i].left}"]`, target);
      }
    } else {
      assert.fail(`unknown question type ${q.type}`);
    }
  }
}

function quizPages() {
  const dir = path.join(site, 'quizzes');
  return ['e-safety-quiz', 'social-media-quiz', 'data-protection-quiz', 'acceptable-use-quiz']
    .map((id) => path.join(dir, id, 'index.html'));
}

test('every example policy page links to its quiz', async () => {
  const page = await browser.newPage();
  for (const id of ['e-safety', 'social-media', 'data-protection', 'acceptable-use']) {
    await page.goto(fileUrl(path.join(site, 'policies', id, 'index.html')));
    const href = await page.getAttribute('.quiz-link a', 'href');
    assert.ok(href, `${id}: no quiz link`);
    await page.click('.quiz-link a');
    assert.match(page.url(), /\/quizzes\/[a-z-]+\/index\.html$/);
    assert.equal(await page.locator('form.quiz').count(), 1);
  }
  await page.close();
});

test('all answers right: passed with 100%', async () => {
  for (const file of quizPages()) {
    const page = await browser.newPage();
    const remote = forbidRemoteRequests(page);
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(fileUrl(file));
    await answerAll(page, { right: true });
    await page.click('button.quiz-submit');
    const status = await page.textContent('.quiz-status');
    assert.match(status, /Passed: you scored 100%/, `${file}: ${status}`);
    assert.equal(await page.locator('fieldset.question.is-correct:not([hidden])').count(), (await visibleQuestions(page)).length);
    assert.deepEqual(errors, []);
    assert.deepEqual(remote, []);
    await page.close();
  }
});

test('all answers wrong: failed, with feedback and links to the sections to re-read', async () => {
  for (const file of quizPages()) {
    const page = await browser.newPage();
    await page.goto(fileUrl(file));
    await answerAll(page, { right: false });
    await page.click('button.quiz-submit');
    const status = await page.textContent('.quiz-status');
    assert.match(status, /Not passed yet: you scored 0%/, `${file}: ${status}`);
    assert.match(status, /pass mark is 80%/);
    for (const id of await visibleQuestions(page)) {
      const feedback = page.locator(`fieldset[data-question="${id}"] .question-feedback`);
      assert.equal(await feedback.isVisible(), true, `${id}: no feedback`);
      assert.match(await feedback.textContent(), /Not correct\./, id);
      const link = feedback.locator('.see a');
      assert.equal(await link.count(), 1, `${id}: no link to re-read`);
      // The link leads to a heading that exists on the policy page.
      const href = await link.getAttribute('href');
      const target = new URL(href, page.url());
      const policyFile = decodeURIComponent(target.pathname);
      assert.ok(existsSync(policyFile), href);
      const anchor = target.hash.slice(1);
      assert.match(readFileSync(policyFile, 'utf8'), new RegExp(`id=${anchor}[ >]|id="${anchor}"`), `${href}: no such anchor`);
    }
    await page.close();
  }
});

test('draw asks a new set of questions on each attempt', async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(path.join(site, 'quizzes', 'e-safety-quiz', 'index.html')));
  const key = await keyOf(page);
  assert.ok(key.draw && key.draw < Object.keys(key.questions).length, 'the e-safety quiz draws from a pool');
  const seen = new Set();
  for (let attempt = 0; attempt < 8; attempt++) {
    const ids = await visibleQuestions(page);
    assert.equal(ids.length, key.draw);
    ids.forEach((id) => seen.add(id));
    await page.click('button.quiz-submit');
    await page.click('button.quiz-retry');
    assert.equal(await page.textContent('.quiz-status'), '');
  }
  assert.ok(seen.size > key.draw, `eight attempts all asked the same ${key.draw} questions`);
  await page.close();
});

test('the quiz can be answered and submitted with the keyboard alone', async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(path.join(site, 'quizzes', 'data-protection-quiz', 'index.html')));
  const key = await keyOf(page);
  const first = (await visibleQuestions(page))[0];
  assert.equal(key.questions[first].type, 'single');
  // Tab from the top of the page to the first answer, choose it with the arrow keys/space.
  let focused = '';
  for (let i = 0; i < 40 && !focused.startsWith(`q-data-protection-quiz-${first}-`); i++) {
    await page.keyboard.press('Tab');
    focused = await page.evaluate(() => document.activeElement.id || '');
  }
  assert.ok(focused.startsWith(`q-data-protection-quiz-${first}-`), `could not reach question 1 with Tab (at ${focused})`);
  await page.keyboard.press('Space');
  assert.equal(await page.locator(`fieldset[data-question="${first}"] input:checked`).count(), 1);
  // Focus is visible: the focused control has an outline.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  // Submit with Enter on the button.
  await page.focus('button.quiz-submit');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('.quiz-status'), /you scored/);
  // Focus moves to the result so screen reader users hear it.
  assert.equal(await page.evaluate(() => document.activeElement.classList.contains('quiz-status')), true);
  await page.screenshot({ path: path.join(repoRoot, 'target', 'quiz-after-submit.png'), fullPage: true });
  await page.close();
});

test('every control has an accessible name', async () => {
  for (const file of quizPages()) {
    const page = await browser.newPage();
    await page.goto(fileUrl(file));
    const unnamed = await page.$$eval('input, select, button', (els) => els
      .filter((el) => {
        if (el.type === 'hidden') return false;
        const label = el.labels && el.labels.length ? el.labels[0].textContent.trim() : '';
        return !(label || el.getAttribute('aria-label') || (el.tagName === 'BUTTON' && el.textContent.trim()));
      })
      .map((el) => el.id || el.outerHTML));
    assert.deepEqual(unnamed, [], file);
    const unnamedGroups = await page.$$eval('fieldset', (fs) => fs.filter((f) => !f.querySelector('legend')?.textContent.trim()).length);
    assert.equal(unnamedGroups, 0);
    await page.close();
  }
});

test('a re-read link is built as nodes: a heading id cannot add attributes or markup (issue 9)', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'policybook-see-'));
  const write = (file, text) => { mkdirSync(path.dirname(path.join(root, file)), { recursive: true }); writeFileSync(path.join(root, file), text); };
  write('policybook.toml', 'organisation = "Test Org"\ntoday = 2026-11-26\n');
  write('content/p.md', '---\ntitle: P\nversion: "1.0"\napproved: 2026-01-10\nreview_interval: 12 months\n---\n\n## Rules <b>and</b> `<i>code</i>` {#r"onmouseover=x}\n\nText.\n');
  write('quizzes/q.toml', 'id = "q"\ntitle = "Q"\npolicy = "p"\npass_mark = 80\n\n[[question]]\nid = "q1"\ntype = "true-false"\ntext = "True?"\nanswer = true\nsee = \'r"onmouseover=x\'\n');
  const out = path.join(root, 'build');
  execFileSync(binary(), ['--quiet', 'build', '--root', root, '--out', out], { stdio: ['ignore', 'inherit', 'inherit'] });
  const page = await browser.newPage();
  await page.goto(fileUrl(path.join(out, 'site', 'quizzes', 'q', 'index.html')));
  await page.check('fieldset[data-question="q1"] input[value="false"]');
  await page.click('button.quiz-submit');
  const link = page.locator('.see a');
  assert.equal(await link.count(), 1);
  assert.deepEqual(await link.evaluate((a) => a.getAttributeNames()), ['href']);
  assert.ok((await link.getAttribute('href')).endsWith('#r"onmouseover=x'), await link.getAttribute('href'));
  assert.equal(await link.textContent(), 'Rules and <i>code</i>');
  await page.close();
});
