// Run inside a page by check_pages.py (Runtime.evaluate); returns what a
// reader on a phone would notice, as JSON. Nothing here changes the page
// except opening and closing the language menu.
(function (opts) {
  const out = {};
  const W = document.documentElement.clientWidth;
  const lang = (document.documentElement.lang || '').toLowerCase();
  const rtl = getComputedStyle(document.documentElement).direction === 'rtl';
  const label = (el) => {
    const t = (el.innerText || el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40);
    return el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '') + (t ? ' "' + t + '"' : '');
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none';
  };

  // --- sideways scrolling: the page is no wider than the screen
  out.scrollWidth = document.documentElement.scrollWidth;
  out.width = W;
  // the widest element sticking out, to say what to fix
  out.overflowing = [];
  if (out.scrollWidth > W + 1) {
    for (const el of document.body.querySelectorAll('*')) {
      const r = el.getBoundingClientRect();
      if ((r.right > W + 1 || r.left < -1) && visible(el)) {
        out.overflowing.push(label(el) + ' x ' + Math.round(r.left) + '..' + Math.round(r.right));
        if (out.overflowing.length >= 3) break;
      }
    }
  }
  // content running out of its table cell into the next column
  out.cellOverflow = [];
  for (const td of document.querySelectorAll('td, th')) {
    if (td.scrollWidth > td.clientWidth + 1 && visible(td))
      out.cellOverflow.push(label(td).slice(0, 60) + ' needs ' + td.scrollWidth + 'px of ' + td.clientWidth);
  }

  // --- colours: WCAG 2.1 relative luminance and contrast ratio
  const parse = (c) => {
    const m = c.match(/rgba?\(([^)]+)\)/);
    if (!m) return null;
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, under) => {
    const a = top[3];
    return [0, 1, 2].map((i) => top[i] * a + under[i] * (1 - a)).concat([1]);
  };
  const lum = (c) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  // the colour behind an element: its own and its ancestors' backgrounds,
  // laid over white (the canvas); null where an image is involved
  const background = (el) => {
    const layers = [];
    for (let e = el; e && e.nodeType === 1; e = e.parentElement) {
      const cs = getComputedStyle(e);
      if (cs.backgroundImage && cs.backgroundImage !== 'none') return null;
      const c = parse(cs.backgroundColor);
      if (c && c[3] > 0) { layers.push(c); if (c[3] >= 1) break; }
    }
    let bg = [255, 255, 255, 1];
    for (let i = layers.length - 1; i >= 0; i--) bg = over(layers[i], bg);
    return bg;
  };

  // --- text contrast, computed for every piece of text (axe-core leaves
  // out text it cannot judge, such as most Arabic)
  out.contrast = [];
  const seen = new Set();
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!n.nodeValue.trim()) continue;
    const el = n.parentElement;
    if (!el || seen.has(el) || !visible(el)) continue;
    seen.add(el);
    if (el.closest('svg, [aria-hidden="true"]')) continue;
    const cs = getComputedStyle(el);
    const bg = background(el);
    if (!bg) continue;
    const fg = over(parse(cs.color), bg);
    const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const need = large ? 3 : 4.5;
    const r = ratio(fg, bg);
    if (r < need - 0.005) {
      const l = (el.closest('[lang]') || document.documentElement).getAttribute('lang');
      out.contrast.push(label(el) + ' [' + l + '] ' + r.toFixed(2) + ':1, needs ' + need + ':1');
    }
  }

  // --- focus indicator: every control shows an outline of at least 3:1
  // against what is around it (WCAG 2.1 1.4.11). The caller pressed Tab
  // once, so script focus counts as keyboard focus (:focus-visible).
  out.focus = [];
  out.focusChecked = 0;
  for (const el of document.querySelectorAll('a[href], summary, button, input, select, textarea')) {
    if (!visible(el) && !el.classList.contains('skip')) continue;
    el.focus({ preventScroll: true });
    if (document.activeElement !== el) continue;
    out.focusChecked++;
    const cs = getComputedStyle(el);
    const w = parseFloat(cs.outlineWidth) || 0;
    if (cs.outlineStyle === 'none' || w < 2) {
      out.focus.push(label(el) + ': no outline when focused (' + cs.outlineStyle + ' ' + cs.outlineWidth + ')');
      continue;
    }
    const around = background(el.parentElement || el) || [255, 255, 255, 1];
    const oc = over(parse(cs.outlineColor), around);
    const r = ratio(oc, around);
    if (r < 3) out.focus.push(label(el) + ': outline ' + r.toFixed(2) + ':1 against its background, needs 3:1');
    if (out.focus.length >= 5) break;
  }
  if (document.activeElement) document.activeElement.blur();

  // --- controls that need JavaScript
  out.needsScript = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) out.needsScript.push(label(el) + ' has ' + a.name + '="' + a.value.slice(0, 30) + '"');
    }
    if (el.tagName === 'SCRIPT') out.needsScript.push('a <script> element');
    if (el.tagName === 'A' && /^\s*javascript:/i.test(el.getAttribute('href') || '')) out.needsScript.push(label(el) + ' has a javascript: link');
    if (el.tagName === 'BUTTON' && !el.form) out.needsScript.push(label(el) + ' is a button outside any form: without JavaScript it does nothing');
  }

  // --- tap targets of the menus and the buttons: 44 x 44 CSS px (WCAG 2.5.5)
  out.targets = [];
  const small = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 43.5 || r.height < 43.5) out.targets.push(label(el) + ' is ' + Math.round(r.width) + ' x ' + Math.round(r.height));
  };
  document.querySelectorAll('.switcher summary, .years a, a.button, .pack-parts a').forEach((el) => { if (visible(el)) small(el); });

  // --- links that run together: two links with only white space between
  // (a list of links written as running text). Glossary terms in a sentence
  // are left out: the space between two terms is the sentence's own.
  out.runTogether = [];
  for (const a of document.querySelectorAll('a:not(.term)')) {
    let s = a.nextSibling, text = '';
    while (s && s.nodeType === 3) { text += s.nodeValue; s = s.nextSibling; }
    if (s && s.nodeType === 1 && s.tagName === 'A' && !s.classList.contains('term') && !text.trim() && getComputedStyle(a).display.startsWith('inline') && getComputedStyle(s).display.startsWith('inline'))
      out.runTogether.push(label(a) + ' + ' + label(s));
  }

  // --- a link whose title is shown in another language (a material not
  // translated yet) carries the "not translated" mark beside it
  out.unmarked = [];
  for (const a of document.querySelectorAll('main a[lang]:not([hreflang])')) {
    const l = a.getAttribute('lang').toLowerCase();
    if (l === lang || !a.closest('[lang]').parentElement) continue;
    const box = a.parentElement;
    if (!box.querySelector('.badge')) out.unmarked.push(label(a) + ' [' + l + ']');
  }

  // --- text in the source language on another language's page is marked
  out.dutchUnmarked = [];
  if (opts.siteTitle && lang !== opts.sourceLang) {
    for (const el of document.querySelectorAll('.site-name bdi, h1 bdi, title')) {
      if (el.textContent.trim() !== opts.siteTitle) continue;
      const owner = el.closest('[lang]');
      if (el.tagName === 'TITLE' || !owner || owner.getAttribute('lang') !== opts.sourceLang)
        out.dutchUnmarked.push(label(el) + ' is the ' + opts.sourceLang + ' title on a ' + lang + ' page, untranslated and not marked lang=' + opts.sourceLang);
    }
  }

  // --- a handout's name field (label and line) is no narrower than its
  // class field: on a phone the class line took the room the name needs
  out.nameLine = [];
  for (const nc of document.querySelectorAll('.name-class')) {
    const fields = [...nc.querySelectorAll(':scope > p')].map((f) => f.getBoundingClientRect().width);
    if (fields.length >= 2 && fields[0] < fields[fields.length - 1] - 1)
      out.nameLine.push('the name field is ' + Math.round(fields[0]) + 'px, the class field ' + Math.round(fields[fields.length - 1]) + 'px');
  }

  // --- numbered steps count in the digits the page writes its dates in
  // (the <time> elements): not "1." beside "٩ أكتوبر" in Arabic
  out.listDigits = [];
  const dates = [...document.querySelectorAll('time')].map((t) => t.textContent).join('');
  const nonLatin = /[\u0660-\u0669\u06F0-\u06F9]/.test(dates);
  for (const ol of document.querySelectorAll('ol')) {
    const t = getComputedStyle(ol).listStyleType;
    const owner = (ol.closest('[lang]') || document.documentElement).getAttribute('lang').toLowerCase();
    if (!nonLatin || t === 'none' || owner !== lang || !visible(ol)) continue;
    if (t === 'decimal') out.listDigits.push(label(ol).slice(0, 60) + ' counts 1. 2. 3. on a page that writes its dates in other digits');
  }

  // --- tags that wrap: a competence tag broken over two lines
  out.brokenTags = [];
  document.querySelectorAll('.tag, .badge').forEach((el) => { if (el.getClientRects().length > 1) out.brokenTags.push(label(el)); });

  // --- arrows: "back" points to the start of the line in either direction
  out.arrows = [];
  for (const a of document.querySelectorAll('a')) {
    const t = (getComputedStyle(a, '::before').content || '') + a.textContent + (getComputedStyle(a, '::after').content || '');
    if (rtl && t.includes('\u2190')) out.arrows.push(label(a) + ': "\u2190" points forward on a right-to-left page');
    if (!rtl && t.includes('\u2192') && /back|terug/i.test(a.className)) out.arrows.push(label(a) + ': "\u2192" points forward');
  }

  // --- order of the meta items of a card: the same on every page
  out.metaOrder = [];
  for (const m of document.querySelectorAll('.card-meta')) {
    out.metaOrder.push([...m.children].map((c) => c.tagName === 'TIME' ? 'time' : (c.className || c.tagName.toLowerCase())).join(' '));
  }

  // --- the icon: named by the page, so no request for /favicon.ico
  const icon = document.querySelector('link[rel~="icon"]');
  out.icon = icon ? icon.href : null;
  out.links = [...document.querySelectorAll('a[href], link[href]')].map((a) => a.href);
  out.styles = [...document.styleSheets].map((s) => { try { return s.cssRules.length; } catch (e) { return -1; } });
  return JSON.stringify(out);
})
