// Acknowledging on the website: a receipt whose hash anyone can recompute, downloadable as JSON
// and printable, and a printable paper form per policy.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { binary, buildExample, buildWithHistory, fileUrl, launch, repoRoot } from './helpers.mjs';

let browser;
let site;
let build;
before(async () => {
  build = buildExample();
  site = path.join(build, 'site');
  browser = await launch();
});
after(async () => { await browser?.close(); });

/** Canonical JSON written independently of ack.js: sorted keys, no whitespace. */
function canonical(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const keys = Object.keys(value).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(value[k])}`).join(',')}}`;
}

function expectedHash(receipt) {
  const { receipt_hash: _, ...rest } = receipt;
  return `sha256:${createHash('sha256').update(canonical(rest), 'utf8').digest('hex')}`;
}

test('a receipt names the exact version and its hash can be recomputed', async () => {
  const page = await browser.newPage({ acceptDownloads: true });
  await page.goto(fileUrl(path.join(site, 'policies', 'data-protection', 'index.html')));
  // The name is required.
  await page.click('form.acknowledge .ack-submit');
  assert.equal(await page.isVisible('form.acknowledge .ack-error'), true);
  assert.equal(await page.isVisible('.receipt'), false);

  await page.fill('#ack-name', 'Zoë O\'Brien "ZO"');
  await page.fill('#ack-email', 'zoe@larkfield.example');
  await page.click('form.acknowledge .ack-submit');
  assert.equal(await page.isVisible('.receipt'), true);
  const receipt = await page.evaluate(() => window.policybookReceipt);
  const digest = await page.textContent('.digest-full code');
  assert.equal(receipt.type, 'policybook-acknowledgement/1');
  assert.deepEqual(receipt.policy, { id: 'data-protection', title: 'Data Protection Policy', version: '4.2', digest });
  assert.equal(receipt.statement, 'I have read and understood the Data Protection Policy, version 4.2.');
  assert.deepEqual(receipt.person, { name: 'Zoë O\'Brien "ZO"', staff_id: null, email: 'zoe@larkfield.example' });
  assert.match(receipt.acknowledged_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  assert.equal(receipt.receipt_hash, expectedHash(receipt));
  assert.equal(await page.textContent('.receipt .r-hash'), receipt.receipt_hash);

  const [download] = await Promise.all([page.waitForEvent('download'), page.click('.r-download')]);
  assert.match(download.suggestedFilename(), /^acknowledgement-data-protection-v4-2-zo-o-brien-zo\.json$/);
  const saved = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.deepEqual(saved, receipt);
  const file = path.join(repoRoot, 'target', 'example-receipt.json');
  await download.saveAs(file);
  // The Rust side (policybook acks) accepts what the browser made, as the current version.
  const report = execFileSync(binary(), ['acks', file, '--manifest', path.join(build, 'manifest.json'), '--csv', `${file}.csv`], { encoding: 'utf8' });
  assert.match(report, /1 current/, report);
  assert.match(readFileSync(`${file}.csv`, 'utf8'), /"Zoë O'Brien ""ZO""",zoe@larkfield\.example,,data-protection,4\.2,current,4\.2,/);
  await page.close();
});

test('the in-page SHA-256 matches the standard one', async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(path.join(site, 'policies', 'e-safety', 'index.html')));
  const inputs = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'b'.repeat(64), 'Zoë ✓ 🚀 policy', 'x'.repeat(1000)];
  for (const text of inputs) {
    const got = await page.evaluate((t) => window.PolicybookReceipts.sha256Hex(new TextEncoder().encode(t)), text);
    assert.equal(got, createHash('sha256').update(text, 'utf8').digest('hex'), JSON.stringify(text.slice(0, 20)));
  }
  await page.close();
});

test('every policy has a printable paper form with the statement, the digest and lines to sign', async () => {
  const page = await browser.newPage();
  await page.goto(fileUrl(path.join(site, 'policies', 'e-safety', 'index.html')));
  await page.click('.acknowledge-section a[href$="form.html"]');
  assert.match(page.url(), /policies\/e-safety\/form\.html$/);
  assert.match(await page.textContent('.statement'), /I have read and understood the E-Safety Policy, version 3\.1\./);
  assert.match(await page.textContent('.digest-full'), /^[0-9a-f]{64}$/);
  const labels = await page.$$eval('.sign-label', (els) => els.map((e) => e.textContent));
  assert.deepEqual(labels, ['Name', 'Staff or learner number', 'Signed', 'Date']);
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.isVisible('.site-nav'), false);
  await page.pdf({ path: path.join(repoRoot, 'target', 'paper-form.pdf') });
  await page.close();
});

test('someone re-acknowledging is shown what changed since the version they acknowledged', async () => {
  const { out } = buildWithHistory();
  const page = await browser.newPage();
  const url = fileUrl(path.join(out, 'site', 'policies', 'e-safety', 'index.html'));
  await page.goto(url);
  const panel = page.locator('.changes-since-you');
  assert.equal(await panel.isVisible(), false, 'nobody is known yet');
  assert.equal(await page.locator('.changes-since-list a').first().textContent(), 'Changes since version 3.0');
  // A receipt for version 3.0, opened from the page: the changes since 3.0 are picked out.
  const old = { type: 'policybook-acknowledgement/1', organisation: 'Larkfield Skills & Training', policy: { id: 'e-safety', title: 'E-Safety Policy', version: '3.0', digest: 'a'.repeat(64) }, person: { name: 'Sam Lee' }, acknowledged_at: '2026-02-01T09:00:00Z' };
  await page.setInputFiles('#ack-previous', { name: 'old.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(old)) });
  await panel.waitFor({ state: 'visible' });
  assert.match(await panel.textContent(), /You acknowledged version 3\.0 on 2026-02-01/);
  const href = await panel.locator('a.cs-link').getAttribute('href');
  assert.equal(href, '../../policies/e-safety/changes-3.0-to-3.1.html');
  await page.click('.changes-since-you a.cs-link');
  assert.match(await page.textContent('h1'), /Changes since version 3\.0|Changes in version 3\.1/);
  assert.match(await page.locator('.changes-list del').first().textContent(), /upsets/);
  // Acknowledging 3.1 here is remembered in this browser: no panel on the next visit.
  await page.goto(url);
  await page.fill('#ack-name', 'Sam Lee');
  await page.click('form.acknowledge .ack-submit');
  const receipt = await page.evaluate(() => window.policybookReceipt);
  assert.equal(receipt.policy.version, '3.1', 'the acknowledgement binds to the current version');
  await page.goto(url);
  assert.equal(await panel.isVisible(), false);
  // Someone who acknowledged 3.0 in this browser sees the panel without opening anything.
  await page.evaluate(() => localStorage.setItem('policybook-ack:Larkfield Skills & Training:e-safety', JSON.stringify({ version: '3.0', at: '2026-02-01T09:00:00Z' })));
  await page.goto(url);
  assert.equal(await panel.isVisible(), true);
  // A file that is not a receipt says so.
  await page.setInputFiles('#ack-previous', { name: 'x.json', mimeType: 'application/json', buffer: Buffer.from('not json') });
  await page.locator('#ack-previous-error').waitFor({ state: 'visible' });
  assert.match(await page.textContent('#ack-previous-error'), /not a receipt/);
  await page.close();
});
