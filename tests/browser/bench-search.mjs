// Times site search in headless Chromium: from the keystroke that completes a query to the
// results on screen, on a built site opened from file://. Run by scripts/bench-search:
//
//   node bench-search.mjs SITE_DIR
//
// Prints one JSON line: the first search of a page (which loads meta.js), then every query of
// QUERIES on a fresh page each (cold: its shards and document chunks load from disk), then the
// same queries again on one page (warm: already loaded).
import path from 'node:path';
import { fileUrl, launch } from './helpers.mjs';

const site = process.argv[2];
const QUERIES = ['safeguarding', 'personal devices', 'records', 'appeals', 'risk assessment',
  'visitors', 'learners', 'security', 'directors', 'timescales', 'monitoring', 'welfare'];

async function timeQuery(page, query) {
  return page.evaluate((q) => new Promise((resolve) => {
    const input = document.getElementById('site-search-input');
    const status = document.getElementById('site-search-status');
    const before = status.textContent;
    const started = performance.now();
    const seen = new MutationObserver(() => {
      if (status.textContent !== before && /result/.test(status.textContent)) {
        seen.disconnect();
        // The results are in the DOM now; wait for them to be painted.
        requestAnimationFrame(() => resolve(performance.now() - started));
      }
    });
    seen.observe(status, { childList: true, characterData: true, subtree: true });
    input.value = q;
    input.dispatchEvent(new Event('input', { bubbles: true }));
  }), query);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const browser = await launch();
const url = fileUrl(path.join(site, 'index.html'));
const cold = [];
for (const query of QUERIES) {
  const page = await browser.newPage();
  await page.goto(url);
  await page.focus('#site-search-input');
  await page.waitForFunction(() => window.policybookSearch && document.querySelectorAll('script[src*="search/meta.js"]').length === 1);
  await page.waitForTimeout(50);
  cold.push(await timeQuery(page, query));
  await page.close();
}
const page = await browser.newPage();
await page.goto(url);
const first = await timeQuery(page, QUERIES[0]);
const warm = [];
for (const query of QUERIES.slice(1)) {
  await timeQuery(page, query);
}
for (const query of QUERIES) {
  warm.push(await timeQuery(page, query + ' '));
}
await browser.close();
const round = (x) => Math.round(x * 10) / 10;
console.log(JSON.stringify({
  first_search_ms: round(first),
  cold_median_ms: round(median(cold)),
  cold_max_ms: round(Math.max(...cold)),
  warm_median_ms: round(median(warm)),
  warm_max_ms: round(Math.max(...warm)),
}));
