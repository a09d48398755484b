// notelint's page: checks the note as it is typed (debounced) through POST /api/check and shows
// each finding in the list and highlighted in the note. Nothing is stored: the note lives in the
// textarea only. No external resource, no inline script (the server's CSP forbids both).
'use strict';

(function () {
  const DEBOUNCE_MS = 300;
  const MAX_FILE_BYTES = 1 << 20;
  const SEVERITY_ORDER = { error: 3, warning: 2, info: 1 };
  const SEVERITY_NAME = { error: 'Error', warning: 'Warning', info: 'Information' };

  const $ = (id) => document.getElementById(id);
  const note = $('note');
  const highlights = $('highlights');
  const backdrop = $('backdrop');
  const list = $('findings');
  const status = $('status');
  const busy = $('busy');
  const codesBox = $('codes');
  const billing = $('billing');
  const format = $('format');
  const fileInput = $('file');
  const filenameLabel = $('filename');

  // The example: a 97110 note with no exercise dose, an exercise added without a reason, and more
  // units billed than its minutes support.
  const EXAMPLE = [
    '# Daily note',
    '',
    'Time in: 9:00 AM / Time out: 9:45 AM',
    '',
    'S: Pt reports R knee stiffness on stairs, 3/10.',
    '',
    'O: R quad weakness 3+/5, knee flexion 95°. Ther ex (97110) 38 min: SLR with AW, bridges, heel slides. Added mini squats today.',
    '',
    'A: Needed min VC to avoid hip hike; pain 2/10 after. Ex to improve ability to climb stairs at home (STG 2).',
    '',
    'Billing: 97110 x 4 units (38 min)',
    '',
    'K. Lee, DPT',
    '',
  ].join('\n');

  let rules = new Map();
  let openedName = null;
  let timer = null;
  let controller = null;
  let sequence = 0;
  // The findings shown, with the text they were computed for.
  let shown = { text: '', findings: [] };

  // ---- small DOM helpers (text only: nothing from the note or a rule is parsed as HTML) ----

  function el(tag, attrs, children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'class') e.className = v;
      else if (k === 'text') e.textContent = v;
      else e.setAttribute(k, v);
    }
    for (const c of children || []) {
      e.append(c);
    }
    return e;
  }

  // Text with `code` spans, as rule messages and help write them.
  function richText(s) {
    const out = [];
    String(s || '').split('`').forEach((part, i) => {
      if (part === '') return;
      out.push(i % 2 === 1 ? el('code', { text: part }) : document.createTextNode(part));
    });
    return out;
  }

  function plural(n, word) {
    return n + ' ' + word + (n === 1 ? '' : 's');
  }

  // ---- options ----

  function filename() {
    if (openedName) return openedName;
    return format.value === 'txt' ? 'note.txt' : 'note.md';
  }

  function selectedCodes() {
    return Array.from(codesBox.querySelectorAll('input[type=checkbox]:checked')).map((c) => c.value);
  }

  async function loadRules() {
    try {
      const res = await fetch('/api/rules', { headers: { Accept: 'application/json' } });
      const data = await res.json();
      if (!res.ok) throw new Error(data.error || res.statusText);
      rules = new Map(data.rules.map((r) => [r.id, r]));
      $('version').textContent = data.version || '';
      const defaultMethod = (data.defaults && data.defaults.billing_method) || 'cms';
      billing.options[0].textContent = 'Default (' + defaultMethod.toUpperCase() +
        (data.defaults && data.defaults.config ? ', from ' + data.defaults.config : '') + ')';
      renderCodes(data.packs || [], (data.defaults && data.defaults.codes) || []);
    } catch (e) {
      codesBox.replaceChildren(el('p', { class: 'hint', text: 'The rule packs could not be loaded: is notelint serve still running?' }));
    }
  }

  // One checkbox per code of a code's own pack (a pack with rules and at most a few codes; the
  // timed-codes pack, which covers every timed code, applies along with them).
  function renderCodes(packs, defaults) {
    const seen = new Set();
    const boxes = [];
    for (const p of packs) {
      if (!p.rules || !p.codes || p.codes.length === 0 || p.codes.length > 3) continue;
      for (const code of p.codes) {
        if (seen.has(code)) continue;
        seen.add(code);
        const id = 'code-' + code.replace(/[^A-Za-z0-9]/g, '');
        const title = p.title.includes(code) ? p.title.replace(/^CPT\s+/, '') : code + ' (' + p.title + ')';
        const input = el('input', { type: 'checkbox', id: id, value: code });
        input.addEventListener('change', schedule);
        boxes.push(el('div', { class: 'code' }, [input, el('label', { for: id, text: title })]));
      }
    }
    if (boxes.length === 0) {
      boxes.push(el('p', { class: 'hint', text: 'No rule pack names a code.' }));
    }
    if (defaults.length > 0) {
      boxes.push(el('p', { class: 'hint', text: 'A note that names no code is checked for ' + defaults.join(', ') + ' (the folder\'s notelint.toml).' }));
    }
    codesBox.replaceChildren(...boxes);
  }

  // ---- checking ----

  function schedule() {
    clearTimeout(timer);
    busy.hidden = note.value.trim() === '';
    timer = setTimeout(check, DEBOUNCE_MS);
  }

  async function check() {
    const text = note.value;
    const seq = ++sequence;
    if (controller) controller.abort();
    if (text.trim() === '') {
      controller = null;
      busy.hidden = true;
      render(text, null);
      return;
    }
    controller = new AbortController();
    busy.hidden = false;
    try {
      const res = await fetch('/api/check', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({
          text: text,
          filename: filename(),
          codes: selectedCodes(),
          billing_method: billing.value || null,
        }),
        signal: controller.signal,
      });
      const data = await res.json();
      if (seq !== sequence) return;
      busy.hidden = true;
      if (!res.ok) {
        showProblem(data.error || ('notelint answered ' + res.status));
        return;
      }
      render(text, data);
    } catch (e) {
      if (e && e.name === 'AbortError') return;
      if (seq !== sequence) return;
      busy.hidden = true;
      showProblem('notelint is not answering: is `notelint serve` still running in the terminal?');
    }
  }

  function showProblem(message) {
    shown = { text: note.value, findings: [] };
    paint();
    list.replaceChildren();
    status.className = 'status status-problem';
    status.replaceChildren(...richText(message));
  }

  // ---- results ----

  function render(text, data) {
    if (note.value !== text) return; // typed since: the next check will come
    const all = data ? data.diagnostics : [];
    const active = all.filter((d) => !d.suppressed);
    active.sort((a, b) => a.start - b.start || SEVERITY_ORDER[b.severity] - SEVERITY_ORDER[a.severity]);
    shown = { text: text, findings: active };
    paint();
    renderList(active);
    renderSuppressed(all.filter((d) => d.suppressed));
    renderStatus(text, data, active);
  }

  function renderStatus(text, data, active) {
    status.replaceChildren();
    if (!data) {
      status.className = 'status';
      status.textContent = 'Type or paste a note to check it.';
      return;
    }
    const packs = data.packs_applied || [];
    if (active.length === 0 && packs.length === 0) {
      status.className = 'status status-neutral';
      status.append('Nothing was checked: the note names no billed code that a rule pack covers. ',
        'Tick a code under “Codes to check”, or write the billing line, e.g. ',
        el('code', { text: 'Billing: 97110 x 2 units (30 min)' }), '.');
      return;
    }
    if (active.length === 0) {
      const codes = Array.from(new Set((data.billed_codes || []).concat(selectedCodes())));
      status.className = 'status status-ok';
      status.append(el('strong', { text: '✓ All required elements documented' }),
        codes.length ? ' for ' + codes.join(', ') + '.' : '.');
      return;
    }
    const counts = { error: 0, warning: 0, info: 0 };
    for (const d of active) counts[d.severity] = (counts[d.severity] || 0) + 1;
    const parts = [];
    if (counts.error) parts.push(plural(counts.error, 'error'));
    if (counts.warning) parts.push(plural(counts.warning, 'warning'));
    if (counts.info) parts.push(counts.info + ' for information');
    status.className = 'status ' + (counts.error ? 'status-error' : 'status-warning');
    status.textContent = plural(active.length, 'finding') + ': ' + parts.join(', ') + '.';
  }

  function renderList(active) {
    const items = active.map((d, i) => {
      const locate = el('button', { type: 'button', class: 'locate', 'aria-describedby': 'help-' + i }, [
        el('span', { class: 'sev sev-' + d.severity, text: SEVERITY_NAME[d.severity] || d.severity }),
        ' ',
        el('code', { class: 'rule', text: d.rule }),
        el('span', { class: 'message' }, richText(d.message)),
        el('span', { class: 'where', text: 'Line ' + d.line + ', column ' + d.column + ': ' + d.label }),
      ]);
      locate.addEventListener('click', () => select(i));
      const children = [locate];
      if (d.help) {
        children.push(el('p', { class: 'help', id: 'help-' + i }, [el('strong', { text: 'How to fix: ' }), ...richText(d.help)]));
      }
      children.push(docs(d.rule));
      return el('li', { class: 'finding finding-' + d.severity, 'data-index': String(i) }, children);
    });
    list.replaceChildren(...items);
  }

  // "What is this rule?": the rule's documentation, filled in when opened.
  function docs(id) {
    const details = el('details', { class: 'docs' }, [el('summary', { text: 'What is this rule?' })]);
    details.addEventListener('toggle', () => {
      if (!details.open || details.dataset.filled) return;
      details.dataset.filled = '1';
      const r = rules.get(id);
      if (!r) {
        details.append(el('p', { text: 'No documentation for ' + id + '. Run `notelint explain ' + id + '` in a terminal.' }));
        return;
      }
      const dl = el('dl');
      const row = (term, nodes) => dl.append(el('dt', { text: term }), el('dd', {}, nodes));
      row('What it checks', richText(r.docs.what));
      row('Why payers care', richText(r.docs.why));
      if (r.docs.pass) row('Passes', [el('pre', { text: r.docs.pass })]);
      if (r.docs.fail) row('Fails', [el('pre', { text: r.docs.fail })]);
      if (r.help) row('How to fix', richText(r.help));
      if (r.reference) row('Reference', richText(r.reference));
      details.append(dl);
    });
    return details;
  }

  function renderSuppressed(suppressed) {
    const box = $('suppressed-box');
    box.hidden = suppressed.length === 0;
    $('suppressed-summary').textContent = plural(suppressed.length, 'suppressed finding');
    $('suppressed').replaceChildren(...suppressed.map((d) =>
      el('li', {}, [el('code', { text: d.rule }), ' line ' + d.line + ': ' + d.suppressed])));
  }

  // ---- highlights: a backdrop behind the transparent textarea, with the same font and wrapping ----

  // The span a finding highlights (at least one character, so a place is always visible).
  function span(d, length) {
    let start = Math.min(Math.max(0, d.start), length);
    let end = Math.min(Math.max(start, d.end), length);
    if (end === start) {
      if (end < length) end += 1;
      else if (start > 0) start -= 1;
    }
    return [start, end];
  }

  function paint() {
    const text = shown.text === note.value ? shown.text : note.value;
    const findings = shown.text === note.value ? shown.findings : [];
    const spans = findings.map((d) => span(d, text.length));
    const cuts = new Set([0, text.length]);
    for (const [s, e] of spans) { cuts.add(s); cuts.add(e); }
    const points = Array.from(cuts).sort((a, b) => a - b);
    const nodes = [];
    for (let k = 0; k + 1 < points.length; k++) {
      const a = points[k];
      const b = points[k + 1];
      if (a === b) continue;
      const piece = text.slice(a, b);
      let level = 0;
      let first = -1;
      spans.forEach(([s, e], i) => {
        if (s <= a && e >= b) {
          const l = SEVERITY_ORDER[findings[i].severity] || 1;
          if (l > level) level = l;
          if (s === a && first < 0) first = i;
        }
      });
      if (level === 0) {
        nodes.push(document.createTextNode(piece));
      } else {
        const sev = level === 3 ? 'error' : level === 2 ? 'warning' : 'info';
        const mark = el('mark', { class: 'hl hl-' + sev, text: piece });
        if (first >= 0) mark.dataset.finding = String(first);
        nodes.push(mark);
      }
    }
    // A final newline needs something after it to take up its line.
    nodes.push(document.createTextNode(text.endsWith('\n') || text === '' ? ' ' : ''));
    highlights.replaceChildren(...nodes);
    syncScroll();
  }

  function syncScroll() {
    backdrop.scrollTop = note.scrollTop;
    backdrop.scrollLeft = note.scrollLeft;
  }

  // Selects a finding's place in the note and scrolls it into view.
  function select(i) {
    const d = shown.findings[i];
    if (!d || shown.text !== note.value) return;
    const [start, end] = span(d, note.value.length);
    note.focus();
    note.setSelectionRange(start, end);
    const mark = highlights.querySelector('mark[data-finding="' + i + '"]');
    if (mark) {
      note.scrollTop = Math.max(0, mark.offsetTop - note.clientHeight / 3);
      syncScroll();
    }
    markCurrent();
  }

  // The finding under the caret is marked in the list.
  function markCurrent() {
    const caret = note.selectionStart;
    const inText = shown.text === note.value;
    list.querySelectorAll('li.finding').forEach((li) => {
      const d = shown.findings[Number(li.dataset.index)];
      const [s, e] = inText && d ? span(d, note.value.length) : [-1, -1];
      if (caret >= s && caret <= e && s >= 0) li.classList.add('current');
      else li.classList.remove('current');
    });
  }

  // ---- files ----

  function openFile(file) {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) {
      showProblem(file.name + ' is larger than 1 MiB: not a treatment note.');
      return;
    }
    const reader = new FileReader();
    reader.onload = () => {
      openedName = file.name;
      format.value = /\.(md|markdown)$/i.test(file.name) ? 'md' : 'txt';
      filenameLabel.textContent = 'Checking as ' + file.name;
      note.value = String(reader.result);
      paint();
      note.focus();
      check();
    };
    reader.onerror = () => showProblem(file.name + ' could not be read.');
    reader.readAsText(file);
  }

  // ---- wiring ----

  note.addEventListener('input', () => { paint(); schedule(); });
  note.addEventListener('scroll', syncScroll);
  for (const ev of ['keyup', 'click', 'select']) note.addEventListener(ev, markCurrent);
  billing.addEventListener('change', schedule);
  format.addEventListener('change', () => {
    openedName = null;
    filenameLabel.textContent = '';
    schedule();
  });
  $('open-file').addEventListener('click', () => fileInput.click());
  fileInput.addEventListener('change', () => {
    openFile(fileInput.files[0]);
    fileInput.value = '';
  });
  $('example').addEventListener('click', () => {
    openedName = null;
    filenameLabel.textContent = '';
    format.value = 'md';
    note.value = EXAMPLE;
    paint();
    note.focus();
    check();
  });
  $('clear').addEventListener('click', () => {
    openedName = null;
    filenameLabel.textContent = '';
    note.value = '';
    paint();
    note.focus();
    check();
  });
  // Dropping a file on the note opens it rather than inserting its path.
  note.addEventListener('dragover', (e) => {
    if (e.dataTransfer && Array.from(e.dataTransfer.types).includes('Files')) e.preventDefault();
  });
  note.addEventListener('drop', (e) => {
    if (e.dataTransfer && e.dataTransfer.files.length > 0) {
      e.preventDefault();
      openFile(e.dataTransfer.files[0]);
    }
  });
  if (window.ResizeObserver) new ResizeObserver(paint).observe(note);

  loadRules();
  paint();
  if (note.value.trim() !== '') check();
})();
