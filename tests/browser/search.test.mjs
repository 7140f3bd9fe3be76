// Site search from a file:// copy: the index arrives as script files, a phrase from a deep
// section finds it, the link lands on its anchor, and it all works from the keyboard.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildExample, buildVariant, fileUrl, forbidRemoteRequests, launch } from './helpers.mjs';

let browser;
let site;
before(async () => {
  // A copy elsewhere, as on a shared drive: nothing may depend on where the build was made.
  const copy = mkdtempSync(path.join(os.tmpdir(), 'policybook-search-'));
  cpSync(path.join(buildExample(), 'site'), copy, { recursive: true });
  site = copy;
  browser = await launch();
});
after(async () => { await browser?.close(); });

async function openPage(relative) {
  const page = await browser.newPage();
  forbidRemoteRequests(page);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(fileUrl(path.join(site, relative)));
  return { page, errors };
}

test('a plural finds a deep section from file:// and its link lands on the section', async () => {
  const { page, errors } = await openPage('policies/e-safety/index.html');
  await page.fill('#site-search-input', 'personal phones');
  await page.waitForSelector('#site-search-results li');
  const first = page.locator('#site-search-results li').first();
  assert.match(await first.locator('a').innerText(), /Acceptable Use.*5\.3 Personal devices/s);
  const marks = await first.locator('mark').allInnerTexts();
  assert.ok(marks.some((m) => /^phone$/i.test(m)), `marked: ${marks}`);
  assert.ok(marks.some((m) => /^personal$/i.test(m)), `marked: ${marks}`);
  assert.match(await page.innerText('#site-search-status'), /results? for “personal phones”/);
  await first.locator('a').click();
  await page.waitForURL(/acceptable-use\/index\.html#5-3-personal-devices$/);
  const top = await page.evaluate(() => document.getElementById('5-3-personal-devices').getBoundingClientRect().top);
  assert.ok(top >= -1 && top < 200, `the section is at the top of the window (${top})`);
  assert.deepEqual(errors, []);
});

test('search works from the keyboard alone, and says when nothing is found', async () => {
  const { page, errors } = await openPage('index.html');
  // Skip link, brand, the navigation links, then the search box.
  for (let i = 0; i < 10 && !(await page.evaluate(() => document.activeElement?.id === 'site-search-input')); i++) {
    await page.keyboard.press('Tab');
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'site-search-input');
  await page.keyboard.type('zzyzx');
  await page.waitForFunction(() => /No results/.test(document.getElementById('site-search-status').textContent));
  await page.keyboard.press('Escape');
  await page.keyboard.type('passwords');
  await page.waitForSelector('#site-search-results li');
  await page.keyboard.press('ArrowDown');
  const focused = await page.evaluate(() => document.activeElement.closest('#site-search-results') !== null);
  assert.ok(focused, 'the first result has the focus');
  const href = await page.evaluate(() => document.activeElement.getAttribute('href'));
  await page.keyboard.press('Enter');
  await page.waitForURL((url) => url.href.endsWith(href.replace(/^(\.\.\/)*/, '')));
  assert.deepEqual(errors, []);
});

test('roles and their duties can be found, and the browser stems as the build does', async () => {
  const { page } = await openPage('roles/index.html');
  await page.fill('#site-search-input', 'Designated Safeguarding Lead');
  await page.waitForSelector('#site-search-results li');
  const links = await page.locator('#site-search-results a').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  assert.ok(links.some((h) => /roles\/dsl\/index\.html$/.test(h)), links.join(' '));
  // The same cases as the Rust unit test of the S-stemmer.
  const stems = await page.evaluate(() => ['phones', 'policies', 'devices', 'staff', 'access', 'status', 'goes', 'series', 'is', 'bus']
    .map((w) => window.policybookSearch.stem(w)));
  assert.deepEqual(stems, ['phone', 'policy', 'device', 'staff', 'access', 'status', 'goe', 'sery', 'is', 'bus']);
});

test('a word in over a thousand sections is found from its shard alone; two words load its full postings', async () => {
  // 1,200 sections with an invented word: its postings are long enough to be split into a head
  // in the shard and a tail file (src/search.rs). Every third section has it in its heading,
  // every fifth has "badge" in its text.
  const sections = [];
  for (let n = 1; n <= 1200; n++) {
    const heading = n % 3 === 0 ? `Zorblax rule ${n}` : `Rule ${n}`;
    sections.push(`## ${n}. ${heading}\n\nZorblax sign in at reception.${n % 5 === 0 ? ' Wear a badge.' : ''}\n`);
  }
  const policy = `---\ntitle: Many Sections Policy\nversion: "1.0"\nowner: Head of Quality\napproved_by: Board\napproved: 2026-01-10\nreview_interval: 12 months\n---\n\n${sections.join('\n')}`;
  const out = buildVariant('', { 'content/many-sections.md': policy });
  const { page, errors } = await (async () => {
    const p = await browser.newPage();
    forbidRemoteRequests(p);
    const errs = [];
    p.on('pageerror', (e) => errs.push(e.message));
    await p.goto(fileUrl(path.join(out, 'site', 'about.html')));
    return { page: p, errors: errs };
  })();
  const loaded = () => page.evaluate(() => Array.from(document.querySelectorAll('script[src*="search/"]'))
    .map((s) => s.getAttribute('src').split('/').pop()));
  await page.fill('#site-search-input', 'zorblax');
  await page.waitForFunction(() => /1200 results/.test(document.getElementById('site-search-status').textContent));
  let titles = await page.locator('#site-search-results a').allInnerTexts();
  assert.match(titles[0], /3\. Zorblax rule 3/);
  assert.match(titles[9], /30\. Zorblax rule 30/);
  assert.ok(!(await loaded()).some((f) => /^t\d+-\d+\.js$/.test(f)), `no tail for one word: ${await loaded()}`);

  await page.fill('#site-search-input', 'zorblax badge');
  await page.waitForFunction(() => /240 results/.test(document.getElementById('site-search-status').textContent));
  titles = await page.locator('#site-search-results a').allInnerTexts();
  // A heading with the word, then the text with the other, ranks first: sections 15, 30, …
  assert.match(titles[0], /15\. Zorblax rule 15/);
  assert.match(titles[1], /30\. Zorblax rule 30/);
  assert.ok((await loaded()).some((f) => /^t\d+-\d+\.js$/.test(f)), `the tail was loaded: ${await loaded()}`);
  assert.deepEqual(errors, []);
});
