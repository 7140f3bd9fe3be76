// `policybook serve` in a real browser: a saved edit reloads the open page by itself, a build
// error appears over the page with its file, line and help, and fixing it brings the page back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { binary, launch, repoRoot } from './helpers.mjs';

let browser;
let server;
let url;
let root;
before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'policybook-serve-'));
  for (const dir of ['content', 'quizzes']) cpSync(path.join(repoRoot, dir), path.join(root, dir), { recursive: true });
  cpSync(path.join(repoRoot, 'policybook.toml'), path.join(root, 'policybook.toml'));
  server = spawn(binary(), ['serve', '--port', '0', '--today', '2026-11-26', '--root', root], { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = createInterface({ input: server.stdout });
  url = await new Promise((resolve, reject) => {
    lines.on('line', (line) => { const m = /(http:\/\/\S+)/.exec(line); if (m) resolve(m[1]); });
    server.on('exit', (code) => reject(new Error(`serve exited with ${code}`)));
  });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  server?.kill();
});

test('an edit reloads the page; an error shows over it; the fix brings it back', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}policies/e-safety/index.html`);
  assert.equal(await page.textContent('h1'), 'E-Safety Policy');
  const file = path.join(root, 'content', 'e-safety.md');
  const source = readFileSync(file, 'utf8');

  const started = Date.now();
  writeFileSync(file, source.replace('title: E-Safety Policy', 'title: E-Safety Policy (edited)'));
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'E-Safety Policy (edited)', null, { timeout: 20000 });
  console.log(`# save to reloaded page: ${Date.now() - started} ms`);

  writeFileSync(file, source.replace('version: "3.1"', 'version: [oops'));
  const overlay = page.locator('#policybook-build-error');
  await overlay.waitFor({ state: 'visible', timeout: 20000 });
  const text = await overlay.textContent();
  assert.match(text, /content\/e-safety\.md:\d+:10/);
  assert.match(text, /help: /);
  assert.equal(await overlay.getAttribute('role'), 'alert');
  // The last good build is still what the page shows underneath.
  assert.equal(await page.textContent('h1'), 'E-Safety Policy (edited)');
  await page.screenshot({ path: path.join(repoRoot, 'target', 'serve-error-overlay.png') });

  writeFileSync(file, source);
  await page.waitForFunction(() => document.querySelector('h1')?.textContent === 'E-Safety Policy' && !document.getElementById('policybook-build-error'), null, { timeout: 20000 });
  await page.close();
});

test('a word a save just added is found by the preview search, whose index serve makes in memory', async () => {
  const page = await browser.newPage();
  await page.goto(`${url}policies/e-safety/index.html`);
  const file = path.join(root, 'content', 'e-safety.md');
  const source = readFileSync(file, 'utf8');
  // A body-only edit: serve updates the preview in place.
  writeFileSync(file, `${source}\nStaff keep a quokkaphone log of every loaned device.\n`);
  await page.waitForFunction(() => document.body.textContent.includes('quokkaphone'), null, { timeout: 20000 });
  await page.fill('#site-search-input', 'quokkaphone');
  await page.waitForSelector('#site-search-results li', { timeout: 20000 });
  const first = page.locator('#site-search-results li a').first();
  assert.match(await first.getAttribute('href'), /policies\/e-safety\/index\.html#/);
  assert.match(await page.innerText('#site-search-results'), /E-Safety Policy/);
  await page.screenshot({ path: path.join(repoRoot, 'target', 'serve-search.png') });
  writeFileSync(file, source);
  await page.waitForFunction(() => !document.body.textContent.includes('quokkaphone log'), null, { timeout: 20000 });
  await page.close();
});
