// Shared helpers for the browser tests: build a project with the real binary and start
// Debian's Chromium headless, kept off the network.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The policybook binary: $POLICYBOOK_BIN, else the release build (as scripts/test makes it),
 *  else the debug build. */
export function binary() {
  if (process.env.POLICYBOOK_BIN) return process.env.POLICYBOOK_BIN;
  const release = path.join(repoRoot, 'target/release/policybook');
  return existsSync(release) ? release : path.join(repoRoot, 'target/debug/policybook');
}

/** Builds the repository's example project into a new temporary folder; returns that folder. */
export function buildExample(extraArgs = []) {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'policybook-browser-')), 'build');
  execFileSync(binary(), ['--quiet', 'build', '--today', '2026-11-26', '--out', out, ...extraArgs], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return out;
}

export function fileUrl(p) {
  return pathToFileURL(p).href;
}

/** Headless Chromium with the flags that keep it off the network. */
export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
    ],
  });
}

/** Fails the test if the page requests anything but local files (or data: URLs). */
export function forbidRemoteRequests(page) {
  const remote = [];
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('http://127.0.0.1')) remote.push(url);
  });
  return remote;
}

/** Builds a copy of the example project with `extraConfig` appended to its policybook.toml and
 *  `extraFiles` ({ relative path: text }) added; returns the build folder. */
export function buildVariant(extraConfig, extraFiles = {}) {
  const root = mkdtempSync(path.join(tmpdir(), 'policybook-variant-'));
  for (const dir of ['content', 'quizzes']) cpSync(path.join(repoRoot, dir), path.join(root, dir), { recursive: true });
  const config = readFileSync(path.join(repoRoot, 'policybook.toml'), 'utf8');
  writeFileSync(path.join(root, 'policybook.toml'), `${config}\n${extraConfig}\n`);
  for (const [file, text] of Object.entries(extraFiles)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  const out = path.join(root, 'build');
  execFileSync(binary(), ['--quiet', 'build', '--today', '2026-11-26', '--root', root, '--out', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return out;
}

/** The example project with a history: the E-Safety Policy released first as version 3.0 (one
 *  sentence different), then as its current 3.1. Returns { root, out } after building. */
export function buildWithHistory() {
  const root = mkdtempSync(path.join(tmpdir(), 'policybook-history-'));
  for (const dir of ['content', 'quizzes']) cpSync(path.join(repoRoot, dir), path.join(root, dir), { recursive: true });
  cpSync(path.join(repoRoot, 'policybook.toml'), path.join(root, 'policybook.toml'));
  const file = path.join(root, 'content', 'e-safety.md');
  const current = readFileSync(file, 'utf8');
  const earlier = current
    .replace('version: "3.1"', 'version: "3.0"')
    .replace('Report anything online that worries you', 'Report anything online that upsets you');
  if (earlier === current.replace('version: "3.1"', 'version: "3.0"')) throw new Error('the example changed: update buildWithHistory');
  const run = (args) => execFileSync(binary(), ['--quiet', ...args, '--root', root], { stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(file, earlier);
  run(['release', '--today', '2026-01-15']);
  writeFileSync(file, current);
  run(['release', '--today', '2026-03-20']);
  const out = path.join(root, 'build');
  execFileSync(binary(), ['--quiet', 'build', '--today', '2026-11-26', '--root', root, '--out', out], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { root, out };
}
