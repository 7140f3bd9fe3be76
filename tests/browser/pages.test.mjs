// Every page type and state, as people meet them, at a desktop width (1,280 px) and a phone
// width (390 px): axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation, and no page is wider
// than a phone's screen. Also the index's status filter, the quiz's review of the right answers,
// and the printed form of pages (A4, a running head, nothing that only makes sense on screen).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildExample, buildWithHistory, fileUrl, forbidRemoteRequests, launch, repoRoot } from './helpers.mjs';

const axeSource = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const WIDTHS = [{ width: 1280, height: 900 }, { width: 390, height: 844 }];

let browser;
let site;
let historySite;
let scormDir;
before(async () => {
  const build = buildExample();
  site = path.join(build, 'site');
  historySite = path.join(buildWithHistory().out, 'site');
  scormDir = mkdtempSync(path.join(tmpdir(), 'policybook-a11y-scorm-'));
  execFileSync('unzip', ['-q', path.join(build, 'scorm', 'e-safety-scorm12.zip'), '-d', scormDir]);
  browser = await launch();
});
after(async () => { await browser?.close(); });

/** Runs axe on the page as it is now; returns readable lines, one per failing element. */
async function violations(page) {
  if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.addScriptTag({ path: axeSource });
  const result = await page.evaluate((tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags } }), TAGS);
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}`));
}

/** How far the page is wider than its window (0 when it fits). */
async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Answers every shown question wrongly; `scope` narrows it to one part of the page. */
async function answerFirstWrong(page, scope = '') {
  const key = await page.$eval(`${scope} script.quiz-key`, (s) => JSON.parse(s.textContent));
  const ids = await page.$$eval(`${scope} fieldset.question:not([hidden])`, (fs) => fs.map((f) => f.dataset.question));
  for (const id of ids) {
    const q = key.questions[id];
    const fs = `${scope} fieldset.question[data-question="${id}"]:not([hidden])`;
    if (q.type === 'single' || q.type === 'multiple') await page.check(`${fs} input[value="${q.options.find((o) => !o.correct).id}"]`);
    else if (q.type === 'true-false') await page.check(`${fs} input[value="${!q.answer}"]`);
    else if (q.type === 'short') await page.fill(`${fs} input[type=text]`, 'no idea');
  }
}

/** Every page type and state: [name, file, what to do after opening it]. */
function states() {
  const quiz = path.join(site, 'quizzes', readdirSync(path.join(site, 'quizzes'))[0], 'index.html');
  const role = readdirSync(path.join(site, 'roles')).find((f) => f !== 'index.html' && !f.includes('.'));
  const scorm = path.join(scormDir, 'index.html');
  const step = (n) => async (page) => {
    for (let i = 0; i < n; i++) {
      if (await page.isVisible('section.step:not([hidden]) form.quiz')) {
        await answerFirstWrong(page, 'section.step:not([hidden])');
        await page.click('section.step:not([hidden]) button.quiz-submit');
        await page.click('section.step:not([hidden]) .quiz-retry');
        await page.evaluate(() => {
          // Answer right this time, from the key, to move on.
          const form = document.querySelector('section.step:not([hidden]) form.quiz');
          const key = JSON.parse(form.querySelector('script.quiz-key').textContent);
          for (const fs of form.querySelectorAll('fieldset.question:not([hidden])')) {
            const q = key.questions[fs.dataset.question];
            if (q.type === 'single' || q.type === 'multiple') q.options.filter((o) => o.correct).forEach((o) => { fs.querySelector(`input[value="${o.id}"]`).checked = true; });
            else if (q.type === 'true-false') fs.querySelector(`input[value="${q.answer}"]`).checked = true;
            else if (q.type === 'short') fs.querySelector('input[type=text]').value = q.accepted[0];
            fs.dispatchEvent(new Event('change', { bubbles: true }));
          }
        });
        await page.click('section.step:not([hidden]) button.quiz-submit');
      }
      if (await page.isVisible('section.step-ack:not([hidden])')) {
        for (const box of await page.$$('section.step-ack input[type=checkbox]')) await box.check();
        await page.click('section.step-ack .ack-finish');
      } else {
        await page.click('section.step:not([hidden]) .step-next');
      }
    }
  };
  return [
    ['index', path.join(site, 'index.html')],
    ['index, filtered to one status', path.join(site, 'index.html'), (p) => p.click('.status-filter >> nth=0')],
    ['index, search results open', path.join(site, 'index.html'), async (p) => {
      await p.fill('#site-search-input', 'phones');
      await p.waitForSelector('#site-search-results li');
    }],
    ['policy', path.join(site, 'policies', 'acceptable-use', 'index.html')],
    ['policy, form error', path.join(site, 'policies', 'e-safety', 'index.html'), (p) => p.click('form.acknowledge .ack-submit')],
    ['policy, receipt', path.join(site, 'policies', 'e-safety', 'index.html'), async (p) => {
      await p.fill('#ack-name', 'Sam Lee');
      await p.click('form.acknowledge .ack-submit');
      await p.waitForSelector('.receipt');
    }],
    ['paper form', path.join(site, 'policies', 'e-safety', 'form.html')],
    ['roles', path.join(site, 'roles', 'index.html')],
    ['role', path.join(site, 'roles', role, 'index.html')],
    ['matrix', path.join(site, 'matrix', 'index.html')],
    ['quiz', quiz],
    ['quiz, marked', quiz, async (p) => {
      await answerFirstWrong(p);
      await p.click('button.quiz-submit');
    }],
    ['about', path.join(site, 'about.html')],
    ['superseded version', path.join(historySite, 'policies', 'e-safety', 'version-3.0.html')],
    ['changes between versions', path.join(historySite, 'policies', 'e-safety', 'changes-3.0-to-3.1.html')],
    ['SCORM: policy', scorm],
    ['SCORM: quiz', scorm, step(1)],
    ['SCORM: quiz, marked', scorm, async (p) => {
      await step(1)(p);
      await answerFirstWrong(p, 'section.step:not([hidden])');
      await p.click('section.step:not([hidden]) button.quiz-submit');
    }],
    ['SCORM: acknowledgement', scorm, step(2)],
    ['SCORM: done', scorm, step(3)],
  ];
}

test('every page type and state passes axe at 1,280 and 390 px, and fits a phone', async () => {
  const problems = [];
  for (const viewport of WIDTHS) {
    const context = await browser.newContext({ viewport });
    for (const [name, file, prepare] of states()) {
      const page = await context.newPage();
      const remote = forbidRemoteRequests(page);
      const errors = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(fileUrl(file));
      if (prepare) await prepare(page);
      const where = `${name} at ${viewport.width} px`;
      for (const v of await violations(page)) problems.push(`${where}: ${v}`);
      if (name === 'policy') {
        // The contents start folded on a phone, open on a desktop.
        const open = await page.$eval('details.toc-details', (d) => d.open);
        if (open !== (viewport.width > 640)) problems.push(`${where}: contents ${open ? 'open' : 'folded'}`);
      }
      if (viewport.width === 390) {
        const wider = await overflow(page);
        if (wider > 0) problems.push(`${where}: the page is ${wider} px wider than the screen`);
        await page.screenshot({ path: path.join(repoRoot, 'target', `a11y-${name.replace(/[^a-z0-9]+/gi, '-')}-390.png`), fullPage: false });
      }
      for (const e of errors) problems.push(`${where}: script error: ${e}`);
      for (const r of remote) problems.push(`${where}: remote request: ${r}`);
      await page.close();
    }
    await context.close();
  }
  assert.deepEqual(problems, [], `\n${problems.join('\n')}`);
});

test('the status counts on the index filter the list, and say what they show, on a phone too', async () => {
  // At 390 px each row is a card (display: block): hidden rows must still disappear.
  const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
  await page.goto(fileUrl(path.join(site, 'index.html')));
  const rows = page.locator('.policy-list tbody tr');
  const total = await rows.count();
  const statuses = await page.$$eval('.policy-list tbody tr', (trs) => trs.map((t) => t.dataset.status));
  const buttons = page.locator('.status-filter');
  assert.ok(await buttons.count() >= 2, 'the example has policies in more than one status');
  const first = buttons.first();
  const status = await first.getAttribute('data-status');
  await first.click();
  assert.equal(await first.getAttribute('aria-pressed'), 'true');
  const shown = await page.$$eval('.policy-list tbody tr:not([hidden])', (trs) => trs.map((t) => t.dataset.status));
  assert.ok(shown.length > 0, `some policy has status ${status}`);
  assert.deepEqual(shown, statuses.filter((s) => s === status));
  // What is on the screen, not only the attribute.
  const onScreen = await page.$$eval('.policy-list tbody tr', (trs) => trs.filter((t) => t.getBoundingClientRect().height > 0).length);
  assert.equal(onScreen, shown.length);
  assert.match(await page.textContent('.filter-status'), new RegExp(`^Showing ${shown.length} polic(y|ies): `));
  // Categories left with nothing to show are hidden with their heading.
  for (const section of await page.$$('section.category')) {
    const visible = await section.$$('tbody tr:not([hidden])');
    assert.equal(await section.isHidden(), visible.length === 0);
  }
  // From the keyboard: "Show all" brings every policy back.
  await page.focus('.status-filter[data-status=""]');
  await page.keyboard.press('Enter');
  assert.equal(await page.locator('.policy-list tbody tr:not([hidden])').count(), total);
  assert.match(await page.textContent('.filter-status'), new RegExp(`^Showing all ${total} policies`));
  await page.close();
});

test('a marked quiz shows the right answers, and a partly right answer is not marked as wrong', async () => {
  const page = await browser.newPage();
  const quizDir = readdirSync(path.join(site, 'quizzes')).find((d) => d.startsWith('social-media'));
  await page.goto(fileUrl(path.join(site, 'quizzes', quizDir, 'index.html')));
  const key = await page.evaluate(() => JSON.parse(document.querySelector('script.quiz-key').textContent));
  await answerFirstWrong(page);
  // One option of a question with several right ones: partly right.
  const multiple = Object.entries(key.questions).find(([, q]) => q.type === 'multiple');
  const [multiId, multi] = multiple;
  const fs = `fieldset.question[data-question="${multiId}"]`;
  // The Social Media quiz draws no subset: every question is on the page.
  assert.equal(await page.isVisible(fs), true, 'the multiple-response question is shown');
  for (const box of await page.$$(`${fs} input[type=checkbox]`)) await box.uncheck();
  await page.check(`${fs} input[value="${multi.options.find((o) => o.correct).id}"]`);
  await page.click('button.quiz-submit');
  const single = Object.entries(key.questions).find(([id, q]) => q.type === 'single');
  assert.ok(single, 'the quiz has a single-answer question');
  assert.equal(await page.isVisible(`fieldset.question[data-question="${single[0]}"]`), true);
  {
    const right = single[1].options.find((o) => o.correct);
    const label = (await page.textContent(`label[for="${await page.getAttribute(`fieldset.question[data-question="${single[0]}"] input[value="${right.id}"]`, 'id')}"]`)).trim();
    assert.equal(await page.textContent(`fieldset.question[data-question="${single[0]}"] .right-answer`), `The correct answer: ${label}`);
  }
  {
    assert.match(await page.getAttribute(fs, 'class'), /\bis-partly\b/);
    assert.equal(await page.textContent(`${fs} .verdict`), 'Partly correct.');
    const colour = await page.$eval(`${fs} .verdict`, (v) => getComputedStyle(v).color);
    assert.notEqual(colour, 'rgb(155, 28, 31)', 'partly correct is not shown in the colour of wrong');
    assert.match(await page.textContent(`${fs} .right-answer`), /^The correct answers: .+; .+/);
  }
  await page.close();
});

test('printed pages are A4 with the organisation, title, version and page number, and nothing screen-only', async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(path.join(site, 'policies', 'e-safety', 'index.html')));
  await page.emulateMedia({ media: 'print' });
  for (const selector of ['.acknowledge-section', '.quiz-link', '.site-search', '.toc']) {
    assert.equal(await page.isVisible(selector), false, `${selector} is not printed`);
  }
  const file = path.join(repoRoot, 'target', 'printed-policy.pdf');
  writeFileSync(file, await page.pdf({ preferCSSPageSize: true }));
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  assert.match(info, /Page size:\s+59\d\.\d+ x 841\.\d+ pts \(A4\)/, info);
  const pages = Number(/Pages:\s+(\d+)/.exec(info)[1]);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const running = text.split('\f').filter((p) => p.trim());
  assert.equal(running.length, pages);
  running.forEach((p, i) => {
    assert.match(p, /Larkfield Skills & Training · E-Safety Policy, version 3\.1/, `page ${i + 1}`);
    assert.match(p, new RegExp(`Page ${i + 1} of ${pages}`), `page ${i + 1}`);
  });
  assert.doesNotMatch(text, /Acknowledge this policy|Check your understanding/);

  // The matrix prints across the page, every column kept.
  await page.goto(fileUrl(path.join(site, 'matrix', 'index.html')));
  await page.emulateMedia({ media: 'print' });
  const matrix = path.join(repoRoot, 'target', 'printed-matrix.pdf');
  writeFileSync(matrix, await page.pdf({ preferCSSPageSize: true }));
  assert.match(execFileSync('pdfinfo', [matrix], { encoding: 'utf8' }), /Page size:\s+841\.\d+ x 59\d\.\d+ pts \(A4\)/);
  const roles = await page.$$eval('.matrix thead th', (ths) => ths.slice(1).map((t) => t.textContent.trim()));
  const printed = execFileSync('pdftotext', [matrix, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
  for (const role of roles) assert.ok(printed.includes(role.split(' ')[0]), `${role} printed`);

  // The paper form has a Print button on screen, and its digest has no stray space.
  await page.emulateMedia({ media: 'screen' });
  await page.goto(fileUrl(path.join(site, 'policies', 'e-safety', 'form.html')));
  assert.equal(await page.isVisible('.print-button button'), true);
  const digest = await page.textContent('.digest-full');
  assert.match(digest, /^[0-9a-f]{64}$/);
  await page.close();
});
