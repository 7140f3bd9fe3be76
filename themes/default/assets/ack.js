/* policybook acknowledgement receipts: turns the "Acknowledge" form on a policy page into a
 * receipt, a JSON file to download and a page to print, that names the exact version read.
 *
 * The receipt's hash is SHA-256 over its canonical JSON (the receipt without `receipt_hash`,
 * keys sorted at every level, no whitespace, strings escaped as JSON.stringify does), so
 * `policybook acks` can tell an untouched receipt from an edited one. SHA-256 is computed here
 * rather than with crypto.subtle, which browsers withhold from pages served over plain http.
 */
(function () {
  'use strict';

  /* ---- SHA-256 (FIPS 180-4) over bytes ---- */
  var K = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
  ];

  function sha256Hex(bytes) {
    var h = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19];
    var bitLength = bytes.length * 8;
    var padded = new Uint8Array(((bytes.length + 9 + 63) >> 6) << 6);
    padded.set(bytes);
    padded[bytes.length] = 0x80;
    var view = new DataView(padded.buffer);
    view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
    view.setUint32(padded.length - 4, bitLength >>> 0);
    var w = new Array(64);
    for (var offset = 0; offset < padded.length; offset += 64) {
      for (var t = 0; t < 16; t++) { w[t] = view.getUint32(offset + t * 4); }
      for (t = 16; t < 64; t++) {
        var x = w[t - 15], y = w[t - 2];
        var s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
        var s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
        w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
      }
      var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var ch = (e & f) ^ (~e & g);
        var t1 = (k + S1 + ch + K[t] + w[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var maj = (a & b) ^ (a & c) ^ (b & c);
        var t2 = (S0 + maj) | 0;
        k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h[0] = (h[0] + a) | 0; h[1] = (h[1] + b) | 0; h[2] = (h[2] + c) | 0; h[3] = (h[3] + d) | 0;
      h[4] = (h[4] + e) | 0; h[5] = (h[5] + f) | 0; h[6] = (h[6] + g) | 0; h[7] = (h[7] + k) | 0;
    }
    return h.map(function (v) { return ('00000000' + (v >>> 0).toString(16)).slice(-8); }).join('');
  }

  /* ---- Canonical JSON: sorted keys, no whitespace ---- */
  function canonical(value) {
    if (value === null || typeof value !== 'object') { return JSON.stringify(value); }
    if (Array.isArray(value)) { return '[' + value.map(canonical).join(',') + ']'; }
    return '{' + Object.keys(value).sort().map(function (k) {
      return JSON.stringify(k) + ':' + canonical(value[k]);
    }).join(',') + '}';
  }

  function receiptHash(receipt) {
    var copy = {};
    Object.keys(receipt).forEach(function (k) { if (k !== 'receipt_hash') { copy[k] = receipt[k]; } });
    return 'sha256:' + sha256Hex(new TextEncoder().encode(canonical(copy)));
  }

  function slug(text) {
    return String(text).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'receipt';
  }

  function optional(value) {
    var v = String(value || '').trim();
    return v ? v : null;
  }

  /* ---- Agreements: who is acknowledging, and the extra fields they fill in ---- */

  /* The chosen "I am acknowledging as" radio, or null when the policy has one agreement. */
  function chosenAs(form) {
    return form.querySelector('input[name=ack_as]:checked');
  }

  /* Shows the agreement the choice selects (all are hidden until one is chosen). */
  function showAgreement(form) {
    var as = chosenAs(form);
    form.querySelectorAll('.agreement').forEach(function (block) {
      block.hidden = !as || block.getAttribute('data-agreement') !== as.getAttribute('data-agreement');
    });
  }

  function setupAgreements(form) {
    form.querySelectorAll('input[data-field-id]').forEach(function (input) {
      if (input.getAttribute('aria-required') === 'true') { input.required = true; }
    });
    if (!form.querySelector('input[name=ack_as]')) { return; }
    showAgreement(form);
    form.querySelectorAll('input[name=ack_as]').forEach(function (radio) {
      radio.addEventListener('change', function () {
        form.querySelector('#ack-as-error').hidden = true;
        showAgreement(form);
      });
    });
  }

  /* The agreement being acknowledged: the chosen one, or the only one. Null when a choice is
   * needed and missing (the error is then shown). */
  function currentAgreement(form) {
    var blocks = form.querySelectorAll('.agreement');
    if (blocks.length < 2) { return blocks[0]; }
    var as = chosenAs(form);
    var error = form.querySelector('#ack-as-error');
    if (!as) {
      error.hidden = false;
      form.querySelector('input[name=ack_as]').focus();
      return null;
    }
    error.hidden = true;
    return form.querySelector('.agreement[data-agreement="' + as.getAttribute('data-agreement') + '"]');
  }

  /* The values of an agreement's fields, or null (with the error shown) when a required one is
   * empty. Checkboxes give true or false; text and dates give text, or null when left empty. */
  function fieldValues(block) {
    var values = [];
    var missing = null;
    block.querySelectorAll('input[data-field-id]').forEach(function (input) {
      var checkbox = input.getAttribute('data-kind') === 'checkbox';
      var value = checkbox ? input.checked : optional(input.value);
      var empty = checkbox ? !value : value === null;
      if (input.required && empty) {
        input.setAttribute('aria-invalid', 'true');
        missing = missing || input;
      } else {
        input.removeAttribute('aria-invalid');
      }
      values.push({ id: input.getAttribute('data-field-id'), label: input.getAttribute('data-label'), value: value });
    });
    var error = block.querySelector('.ack-field-error');
    if (error) { error.hidden = !missing; }
    if (missing) { missing.focus(); return null; }
    return values;
  }

  function setup(form) {
    var d = form.dataset;
    var out = document.querySelector('.receipt');
    setupAgreements(form);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var nameInput = form.querySelector('input[name=name]');
      var error = form.querySelector('#ack-name-error');
      var block = currentAgreement(form);
      if (!block) { return; }
      var fields = fieldValues(block);
      if (!fields) { return; }
      if (!nameInput.value.trim()) {
        error.hidden = false;
        nameInput.setAttribute('aria-invalid', 'true');
        nameInput.focus();
        return;
      }
      error.hidden = true;
      nameInput.removeAttribute('aria-invalid');
      var receipt = {
        type: 'policybook-acknowledgement/1',
        organisation: d.organisation,
        policy: { id: d.policyId, title: d.policyTitle, version: d.policyVersion, digest: d.policyDigest },
        statement: block.getAttribute('data-statement'),
        person: {
          name: nameInput.value.trim(),
          staff_id: optional(form.querySelector('input[name=staff_id]').value),
          email: optional(form.querySelector('input[name=email]').value)
        },
        acknowledged_at: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')
      };
      // Present only when the policy's agreements need them, so default receipts stay as before.
      var as = chosenAs(form);
      if (as && as.value) { receipt.audience = as.value; }
      if (fields.length) { receipt.fields = fields; }
      receipt.receipt_hash = receiptHash(receipt);
      remember(receipt);
      show(receipt, out);
    });
  }

  /* ---- Re-acknowledging: what changed since the version someone acknowledged ---- */

  function storageKey(d) { return 'policybook-ack:' + d.organisation + ':' + d.policyId; }

  /* Remembers, in this browser only, which version was acknowledged and when. */
  function remember(receipt) {
    try {
      localStorage.setItem(storageKey({ organisation: receipt.organisation, policyId: receipt.policy.id }),
        JSON.stringify({ version: receipt.policy.version, at: receipt.acknowledged_at }));
    } catch (e) { /* storage may be off; the receipt file is the record */ }
  }

  function remembered(d) {
    try { return JSON.parse(localStorage.getItem(storageKey(d)) || 'null'); } catch (e) { return null; }
  }

  /* Shows "what changed since version X" when the page links changes since X; returns whether it did. */
  function showChangesSince(box, version, at) {
    var item = null;
    box.querySelectorAll('.changes-since-list li').forEach(function (li) {
      if (li.getAttribute('data-version') === version) { item = li; }
    });
    if (!item) { return false; }
    var panel = box.querySelector('.changes-since-you');
    panel.querySelectorAll('.cs-version').forEach(function (el) { el.textContent = version; });
    panel.querySelector('.cs-when').textContent = at ? ' on ' + at.slice(0, 10) : '';
    panel.querySelector('.cs-link').setAttribute('href', item.querySelector('a').getAttribute('href'));
    panel.hidden = false;
    return true;
  }

  function setupChangesSince(form) {
    var box = document.querySelector('.changes-since');
    if (!box) { return; }
    var d = form.dataset;
    var last = remembered(d);
    if (last && last.version !== d.policyVersion) { showChangesSince(box, last.version, last.at); }
    var input = box.querySelector('#ack-previous');
    var error = box.querySelector('#ack-previous-error');
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) { return; }
      file.text().then(function (text) {
        var receipt = JSON.parse(text);
        var policy = receipt && receipt.policy;
        if (!policy || policy.id !== d.policyId) { throw new Error('This receipt is not for the ' + d.policyTitle + '.'); }
        if (policy.version === d.policyVersion) { throw new Error('This receipt is already for version ' + d.policyVersion + ': nothing to re-read.'); }
        if (!showChangesSince(box, String(policy.version), receipt.acknowledged_at)) {
          throw new Error('No record of what changed since version ' + policy.version + ' is published here.');
        }
        error.hidden = true;
        box.querySelector('.changes-since-you').focus();
      }).catch(function (e) {
        error.textContent = e instanceof SyntaxError ? 'This file is not a receipt (it is not JSON).' : e.message;
        error.hidden = false;
      });
    });
  }

  function show(receipt, out) {
    var text = JSON.stringify(receipt, null, 2) + '\n';
    out.querySelector('.r-name').textContent = receipt.person.name;
    out.querySelector('.r-staff').textContent = [receipt.person.staff_id, receipt.person.email].filter(Boolean).join(', ') || '—';
    out.querySelector('.r-when').textContent = receipt.acknowledged_at.replace('T', ' ').replace('Z', ' UTC');
    out.querySelector('.r-hash').textContent = receipt.receipt_hash;
    out.querySelector('.r-statement').textContent = receipt.statement;
    var as = document.querySelector('input[name=ack_as]:checked');
    out.querySelector('.r-as').hidden = !as;
    out.querySelector('.r-as-value').textContent = as ? as.parentNode.querySelector('label').textContent : '';
    var list = out.querySelector('.r-field-list');
    list.textContent = '';
    (receipt.fields || []).forEach(function (f) {
      var item = document.createElement('li');
      var shown = f.value === true ? 'yes' : f.value === false ? 'no' : (f.value === null ? '—' : f.value);
      item.textContent = f.label + ': ' + shown;
      list.appendChild(item);
    });
    out.querySelector('.r-fields').hidden = !(receipt.fields && receipt.fields.length);
    var link = out.querySelector('.r-download');
    if (link.href && link.href.indexOf('blob:') === 0) { URL.revokeObjectURL(link.href); }
    link.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
    link.download = 'acknowledgement-' + receipt.policy.id + '-v' + slug(receipt.policy.version) + '-' + slug(receipt.person.name) + '.json';
    out.hidden = false;
    out.setAttribute('tabindex', '-1');
    out.focus();
    window.policybookReceipt = receipt; // for tests and for anyone who wants to copy it
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.querySelector('form.acknowledge');
    if (form) { setup(form); setupChangesSince(form); }
    var print = document.querySelector('.r-print');
    if (print) {
      print.addEventListener('click', function () {
        document.body.classList.add('printing-receipt');
        window.print();
        document.body.classList.remove('printing-receipt');
      });
    }
  });

  window.PolicybookReceipts = { sha256Hex: sha256Hex, canonical: canonical, receiptHash: receiptHash };
})();
