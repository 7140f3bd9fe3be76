/* Site search. The index (site/search/*.js, see src/search.rs) is loaded with <script> tags,
   never fetch(), so search works from file:// as from any web server and sub-path; only the
   shards of the words typed and the documents shown are loaded. Words are lower-cased and
   stemmed exactly as the build does (Harman's S-stemmer). */
(function () {
  'use strict';
  var script = document.currentScript;
  var root = (script && script.getAttribute('data-root')) || '';
  var box = document.getElementById('site-search');
  if (!box) { return; }
  var input = document.getElementById('site-search-input');
  var status = document.getElementById('site-search-status');
  var list = document.getElementById('site-search-results');
  var SHOWN = 10;
  /* Compiled once, when the page loads: a Unicode property pattern is slow to compile, and the
     first search should not pay for it. */
  var WORD = /[\p{Alphabetic}\p{N}]+/gu;
  var encoder = new TextEncoder();
  WORD.test('warm up');
  var state = { meta: null, shards: {}, tails: {}, chunks: {}, loading: {} };
  var sequence = 0;

  window.policybookSearch = {
    meta: function (meta) { state.meta = meta; },
    shard: function (i, map) { state.shards[i] = map; },
    tail: function (name, encoded) { state.tails[name] = encoded; },
    docs: function (k, rows) { state.chunks[k] = rows; },
    stem: stem,
    terms: function (text) { return terms(text, []); }
  };

  function load(name) {
    if (!state.loading[name]) {
      state.loading[name] = new Promise(function (resolve, reject) {
        var tag = document.createElement('script');
        tag.src = root + 'search/' + name + '.js';
        tag.onload = resolve;
        tag.onerror = function () {
          delete state.loading[name];
          reject(new Error('could not load the search index (' + name + ')'));
        };
        document.head.appendChild(tag);
      });
    }
    return state.loading[name];
  }

  function stem(word) {
    var n = Array.from(word).length;
    if (n > 4 && /ies$/.test(word) && !/[ea]ies$/.test(word)) { return word.slice(0, -3) + 'y'; }
    if (n > 3 && /es$/.test(word) && !/[aeo]es$/.test(word)) { return word.slice(0, -1); }
    if (n > 3 && /s$/.test(word) && !/(us|ss)$/.test(word)) { return word.slice(0, -1); }
    return word;
  }

  function words(text) {
    return text.toLowerCase().match(WORD) || [];
  }

  function terms(text, stop) {
    var seen = [];
    words(text).forEach(function (w) {
      if (Array.from(w).length < 2 || stop.indexOf(w) >= 0) { return; }
      var s = stem(w);
      if (seen.indexOf(s) < 0) { seen.push(s); }
    });
    return seen;
  }

  /* FNV-1a over the UTF-8 bytes, as src/search.rs shard_of. */
  function shardOf(term, shards) {
    var bytes = encoder.encode(term);
    var hash = 0x811c9dc5;
    for (var i = 0; i < bytes.length; i++) {
      hash = Math.imul(hash ^ bytes[i], 0x01000193) >>> 0;
    }
    return hash % shards;
  }

  function postings(encoded) {
    var out = [];
    var value = 0;
    encoded.split(',').forEach(function (delta) {
      value += parseInt(delta, 36);
      out.push(value);
    });
    return out;
  }

  /* A map's own entry for `key` (never one inherited from Object.prototype). */
  function own(map, key) {
    return map && Object.prototype.hasOwnProperty.call(map, key) ? map[key] : undefined;
  }

  /* A head of document numbers: base-36 deltas, as postings but without the title bit. */
  function ids(encoded) {
    return encoded ? postings(encoded) : [];
  }

  /* Documents holding every term, best first: a word in a title counts three times. */
  function rank(found) {
    var scores = null;
    found.forEach(function (values) {
      var next = {};
      values.forEach(function (v) {
        var doc = v >> 1;
        if (scores === null || doc in scores) {
          next[doc] = (scores ? scores[doc] : 0) + ((v & 1) ? 3 : 1);
        }
      });
      scores = next;
    });
    return Object.keys(scores || {}).map(Number).sort(function (a, b) {
      return scores[b] - scores[a] || a - b;
    });
  }

  function run(query) {
    var mine = ++sequence;
    return load('meta').then(function () {
      var meta = state.meta;
      var wanted = terms(query, meta.stop);
      if (!wanted.length) { return null; }
      var shards = wanted.map(function (t) { return shardOf(t, meta.shards); });
      return Promise.all(shards.map(function (i) { return load('i' + i); })).then(function () {
        var entries = wanted.map(function (t, n) { return own(state.shards[shards[n]], t); });
        /* A common word keeps in its shard only what a one-word search shows; several words
           need the full postings of the common ones, each from its own tail file. */
        if (entries.length === 1 && Array.isArray(entries[0])) {
          var head = entries[0];
          return { total: head[0], docs: ids(head[1]).concat(ids(head[2])) };
        }
        var tails = entries.filter(Array.isArray).map(function (e) { return e[3]; });
        return Promise.all(tails.map(function (name) { return load('t' + name); })).then(function () {
          var found = entries.map(function (e) {
            if (Array.isArray(e)) { e = own(state.tails, e[3]); }
            return e === undefined ? [] : postings(e);
          });
          var docs = rank(found);
          return { total: docs.length, docs: docs };
        });
      }).then(function (ranked) {
        var docs = ranked.docs;
        var shown = docs.slice(0, SHOWN);
        var chunks = [];
        shown.forEach(function (d) {
          var k = Math.floor(d / meta.chunk);
          if (chunks.indexOf(k) < 0) { chunks.push(k); }
        });
        return Promise.all(chunks.map(function (k) { return load('d' + k); })).then(function () {
          return { terms: wanted, total: ranked.total, docs: shown.map(function (d) {
            return state.chunks[Math.floor(d / meta.chunk)][d % meta.chunk];
          }) };
        });
      });
    }).then(function (result) {
      if (mine === sequence) { show(query, result); }
    }, function (error) {
      if (mine === sequence) { status.textContent = error.message; }
    });
  }

  /* The part of `text` around the first word found, with every found word marked. */
  function snippet(text, wanted) {
    var hits = [];
    var m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      if (wanted.indexOf(stem(m[0].toLowerCase())) >= 0) { hits.push([m.index, m.index + m[0].length]); }
    }
    var p = document.createElement('p');
    p.className = 'search-snippet';
    var start = hits.length ? Math.max(0, hits[0][0] - 60) : 0;
    var end = Math.min(text.length, start + 220);
    if (start > 0) { start = text.indexOf(' ', start) + 1 || start; p.appendChild(document.createTextNode('… ')); }
    var at = start;
    hits.forEach(function (h) {
      if (h[0] < at || h[1] > end) { return; }
      p.appendChild(document.createTextNode(text.slice(at, h[0])));
      var mark = document.createElement('mark');
      mark.textContent = text.slice(h[0], h[1]);
      p.appendChild(mark);
      at = h[1];
    });
    p.appendChild(document.createTextNode(text.slice(at, end) + (end < text.length ? ' …' : '')));
    return p;
  }

  function show(query, result) {
    list.textContent = '';
    if (!result) {
      status.textContent = '';
      list.hidden = true;
      return;
    }
    status.textContent = result.total === 0 ? 'No results for “' + query.trim() + '”.' :
      result.total + (result.total === 1 ? ' result' : ' results') + ' for “' + query.trim() + '”' +
      (result.total > SHOWN ? ', showing the best ' + SHOWN + '.' : '.');
    result.docs.forEach(function (doc) {
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = root + doc[2];
      var title = document.createElement('span');
      title.className = 'search-title';
      title.textContent = doc[0];
      a.appendChild(title);
      if (doc[1]) {
        var section = document.createElement('span');
        section.className = 'search-section';
        section.textContent = doc[1];
        a.appendChild(document.createTextNode(' › '));
        a.appendChild(section);
      }
      li.appendChild(a);
      if (doc[3]) { li.appendChild(snippet(doc[3], result.terms)); }
      list.appendChild(li);
    });
    list.hidden = result.docs.length === 0;
  }

  function links() { return Array.prototype.slice.call(list.querySelectorAll('a')); }

  var timer = null;
  input.addEventListener('input', function () {
    clearTimeout(timer);
    var query = input.value;
    timer = setTimeout(function () { run(query); }, 0);
  });
  input.addEventListener('focus', function () { load('meta').catch(function () {}); });
  box.addEventListener('keydown', function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === 'ArrowDown' && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === 'ArrowUp' && at >= 0) {
      event.preventDefault();
      if (at === 0) { input.focus(); } else { all[at - 1].focus(); }
    } else if (event.key === 'Enter' && document.activeElement === input && all.length) {
      event.preventDefault();
      all[0].click();
    } else if (event.key === 'Escape') {
      input.value = '';
      show('', null);
      input.focus();
    }
  });
  box.hidden = false;
}());
