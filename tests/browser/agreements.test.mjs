// Agreements per policy (issue 12) on the seed-shaped fixture: on the website a learner chooses
// who they acknowledge as, fills in the agreement's fields, and gets a receipt `policybook acks`
// accepts; in a SCORM 1.2 and 2004 package the agreement's fields are recorded as
// `field:<policy>:<field>:<value>` interactions.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { cpSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { binary, fileUrl, launch, repoRoot } from './helpers.mjs';

const here = path.dirname(new URL(import.meta.url).pathname);
let browser;
let server;
let base;
let root;
let build;
const pkgRoot = mkdtempSync(path.join(tmpdir(), 'policybook-agree-pkg-'));

function serve(req, res) {
  const url = new URL(req.url, 'http://localhost');
  let file;
  if (url.pathname === '/lms/harness.html') file = path.join(here, 'lms', 'harness.html');
  else if (url.pathname === '/lms/scorm-again.js') file = path.join(here, 'node_modules', 'scorm-again', 'dist', 'scorm-again.js');
  else if (url.pathname.startsWith('/pkg/')) file = path.join(pkgRoot, decodeURIComponent(url.pathname.slice(5)));
  if (!file || !existsSync(file) || statSync(file).isDirectory()) {
    res.writeHead(404);
    res.end('not found');
    return;
  }
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css' };
  res.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
  res.end(readFileSync(file));
}

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'policybook-seed-'));
  cpSync(path.join(repoRoot, 'tests', 'fixtures', 'seed-shaped'), root, { recursive: true });
  build = path.join(root, 'build');
  execFileSync(binary(), ['--quiet', 'build', '--root', root, '--out', build], { stdio: ['ignore', 'inherit', 'inherit'] });
  server = createServer(serve);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${server.address().port}`;
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.close();
});

test('a learner chooses their agreement, must tick its required box, and gets a receipt acks accepts', async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(path.join(build, 'site', 'policies', 'e-safety', 'index.html')));
  // Nothing chosen yet: no agreement is shown, and creating a receipt asks for the choice.
  assert.equal(await page.isVisible('.agreement[data-agreement="0"]'), false);
  await page.fill('#ack-name', 'Jo Reed');
  await page.click('form.acknowledge .ack-submit');
  assert.equal(await page.isVisible('#ack-as-error'), true);
  assert.equal(await page.isVisible('.receipt'), false);

  await page.check('input[name=ack_as][value=learners]');
  assert.equal(await page.isVisible('#ack-as-error'), false);
  assert.equal(await page.isVisible('.agreement[data-agreement="0"]'), false);
  assert.equal(await page.isVisible('.agreement[data-agreement="1"]'), true);
  // The learners' agreement has a required checkbox.
  await page.click('form.acknowledge .ack-submit');
  assert.equal(await page.isVisible('.agreement[data-agreement="1"] .ack-field-error'), true);
  assert.equal(await page.getAttribute('#ack-f1-knows-how-to-report', 'aria-invalid'), 'true');
  assert.equal(await page.isVisible('.receipt'), false);

  await page.check('#ack-f1-knows-how-to-report');
  await page.fill('#ack-email', 'jo.reed@learners.northbrook.example');
  await page.click('form.acknowledge .ack-submit');
  assert.equal(await page.isVisible('.receipt'), true);
  const receipt = await page.evaluate(() => window.policybookReceipt);
  assert.equal(receipt.statement, 'I have read the E-Safety Policy and agree to use technology safely, to respect others online and to tell a member of staff about anything that worries me.');
  assert.equal(receipt.audience, 'learners');
  assert.deepEqual(receipt.fields, [{ id: 'knows-how-to-report', label: 'I know who to tell if something online worries me', value: true }]);
  assert.equal(await page.textContent('.receipt .r-statement'), receipt.statement);
  assert.equal(await page.textContent('.receipt .r-as-value'), 'Learners and apprentices');
  assert.equal(await page.textContent('.receipt .r-field-list'), 'I know who to tell if something online worries me: yes');

  const file = path.join(root, 'jo.json');
  writeFileSync(file, JSON.stringify(receipt, null, 2));
  const report = execFileSync(binary(), ['acks', file, '--manifest', path.join(build, 'manifest.json'), '--roster', path.join(root, 'acks', 'roster.csv'), '--as-of', '2026-11-26'], { encoding: 'utf8' });
  assert.match(report, /Jo Reed <jo\.reed@learners\.northbrook\.example> +E-Safety Policy 3\.0 +acknowledged on \d{4}-\d\d-\d\d, due again/, report);
  assert.match(report, /E-Safety Policy 3\.0: I know who to tell if something online worries me: yes/, report);
  await page.close();
});

test('staff fill in the laptop serial number; an optional date may stay empty', async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(path.join(build, 'site', 'policies', 'it-use', 'index.html')));
  await page.fill('#ack-name', 'Ella Marsh');
  await page.click('form.acknowledge .ack-submit');
  assert.equal(await page.getAttribute('#ack-f0-laptop-serial', 'aria-invalid'), 'true');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'ack-f0-laptop-serial');
  await page.fill('#ack-f0-laptop-serial', 'NB-LT-0311');
  await page.click('form.acknowledge .ack-submit');
  const receipt = await page.evaluate(() => window.policybookReceipt);
  assert.equal(receipt.audience, undefined, 'one agreement: no choice to record');
  assert.deepEqual(receipt.fields.map((f) => [f.id, f.value]), [['laptop-serial', 'NB-LT-0311'], ['laptop-issued', null], ['returned-equipment', false]]);
  await page.close();
});

function interactions(cmi) {
  const out = [];
  for (let n = 0; cmi[`cmi.interactions.${n}.id`] !== undefined; n++) {
    out.push([cmi[`cmi.interactions.${n}.id`], cmi[`cmi.interactions.${n}.student_response`] ?? cmi[`cmi.interactions.${n}.learner_response`]]);
  }
  return out;
}

for (const [version, suffix] of [['1.2', 'scorm12'], ['2004', 'scorm2004']]) {
  test(`SCORM ${version}: the staff induction records the agreement's fields as interactions`, async () => {
    const dir = path.join(pkgRoot, suffix);
    execFileSync('unzip', ['-q', path.join(build, 'scorm', `staff-induction-${suffix}.zip`), '-d', dir]);
    const page = await browser.newPage();
    const commits = [];
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.exposeFunction('recordCommit', (json) => commits.push(JSON.parse(json)));
    await page.goto(`${base}/lms/harness.html?${new URLSearchParams({ v: version, pkg: suffix })}`);
    const frame = await (await page.waitForSelector('#sco')).contentFrame();
    await frame.waitForSelector('section.step:not([hidden])');
    await frame.click('section.step:not([hidden]) .step-next');
    await frame.click('section.step:not([hidden]) .step-next');
    for (const box of await frame.$$('section.step-ack .ack-option input[type=checkbox]')) await box.check();
    // The serial number is required.
    await frame.click('section.step-ack .ack-finish');
    assert.equal(await frame.isVisible('section.step-ack .ack-error'), true);
    assert.equal(await frame.isVisible('section.step-done'), false);
    await frame.fill('#ack-it-use-laptop-serial', 'NB-LT-0042 [,] spare');
    await frame.fill('#ack-it-use-laptop-issued', '2025-09-29');
    await frame.click('section.step-ack .ack-finish');
    await frame.waitForSelector('section.step-done:not([hidden])');
    const recorded = interactions(commits.at(-1));
    assert.deepEqual(recorded.filter(([id]) => id.startsWith('ackfield-')), [
      ['ackfield-it-use-laptop-serial', 'field:it-use:laptop-serial:NB-LT-0042 spare'],
      ['ackfield-it-use-laptop-issued', 'field:it-use:laptop-issued:2025-09-29'],
      ['ackfield-it-use-returned-equipment', 'field:it-use:returned-equipment:no'],
    ]);
    assert.equal(recorded.filter(([id]) => id.startsWith('ack-')).length, 2);
    assert.deepEqual(errors, []);
    await page.close();
  });
}
