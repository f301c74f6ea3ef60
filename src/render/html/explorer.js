// The dependency explorer of `cargo boundaries graph --format html`.
// The data is the module graph once; what is shown (crates expanded into
// modules, a focus, the reduction) is derived from it and laid out here by
// the steps of src/render/layout.rs: layers by longest path after breaking
// cycles (nodes nothing uses lowered), virtual items for long edges, median
// and barycenter sweeps keeping
// the order with the fewest crossings, neighbour swaps, then rows placed
// as near their neighbours as the order allows, and ports on the boxes.
(function () {
  'use strict';
  const SVG = 'http://www.w3.org/2000/svg';
  const data = JSON.parse(document.getElementById('graph-data').textContent);
  const FONT = 12, CHAR = 0.6, NODE_H = 28, PAD = 12, ROW_GAP = 14;
  const TOGGLE = 18, MARGIN = 20, SWEEPS = 24, PLACE_PASSES = 8, MIN_FIT = 0.6, GAP_DOWN = 56;

  // ---- the model -------------------------------------------------------
  const nodes = data.nodes.map((n, i) => ({
    index: i, id: n[0], crate: n[1], external: n[2],
    file: n[3] >= 0 ? data.files[n[3]] : null, parent: -1, children: [],
  }));
  const byId = new Map(nodes.map((n) => [n.id, n.index]));
  for (const n of nodes) {
    if (n.external) continue;
    const segments = n.id.split('::');
    for (let k = segments.length - 1; k >= 1; k--) {
      const p = byId.get(segments.slice(0, k).join('::'));
      if (p !== undefined) { n.parent = p; break; }
    }
  }
  for (const n of nodes) if (n.parent >= 0) nodes[n.parent].children.push(n.index);
  const edges = data.edges.map((e, i) => ({
    index: i, from: e[0], to: e[1], count: e[2], violating: e[3], rules: e[4],
    sites: e[5].map((s) => ({ file: data.files[s[0]], line: s[1], path: s[2], via: s[3], rules: s[4] })),
  }));

  // Many external crates would crowd the first picture: past a few dozen
  // they start hidden (the checkbox shows them).
  const EXTERNALS_SHOWN = 40;
  const externalCount = nodes.filter((n) => n.external).length;
  let state = { expanded: new Set(), focus: null, selected: null, reduce: data.reduce, externals: externalCount <= EXTERNALS_SHOWN, match: null };
  const past = [];
  const copy = (s) => Object.assign({}, s, { expanded: new Set(s.expanded) });
  function go(change) { past.push(copy(state)); change(); render(true); }

  // ---- what is shown ---------------------------------------------------
  // Each node stands for its highest ancestor that is not expanded; ids are
  // sorted, so a parent comes before its children.
  function representatives() {
    const rep = new Array(nodes.length);
    for (const n of nodes) {
      if (n.parent < 0) { rep[n.index] = n.index; continue; }
      const up = rep[n.parent];
      if (up !== n.parent) rep[n.index] = up;
      else rep[n.index] = state.expanded.has(nodes[n.parent].id) ? n.index : n.parent;
    }
    return rep;
  }

  function shownGraph() {
    const rep = representatives();
    const joined = new Map();
    for (const e of edges) {
      const a = rep[e.from], b = rep[e.to];
      if (a === b) continue;
      if (!state.externals && (nodes[a].external || nodes[b].external)) continue;
      const key = a + ',' + b;
      let v = joined.get(key);
      if (!v) { v = { from: a, to: b, count: 0, violating: 0, rules: new Set(), parts: [] }; joined.set(key, v); }
      v.count += e.count; v.violating += e.violating;
      for (const r of e.rules) v.rules.add(r);
      v.parts.push(e.index);
    }
    let list = Array.from(joined.values()).sort((x, y) => x.from - y.from || x.to - y.to);
    let shown = nodes.filter((n) => rep[n.index] === n.index && (state.externals || !n.external)).map((n) => n.index);
    let hidden = 0, focus = null;
    if (state.focus !== null && byId.has(state.focus)) {
      focus = rep[byId.get(state.focus)];
      list = list.filter((e) => e.from === focus || e.to === focus);
      const keep = new Set([focus]);
      for (const e of list) { keep.add(e.from); keep.add(e.to); }
      shown = shown.filter((n) => keep.has(n));
    } else if (state.reduce) {
      const at = new Map(shown.map((n, i) => [n, i]));
      const redundant = redundantEdges(shown.length, list.map((e) => [at.get(e.from), at.get(e.to)]));
      const before = list.length;
      list = list.filter((e, i) => !redundant[i] || e.rules.size > 0);
      hidden = before - list.length;
    }
    return { rep, nodes: shown, edges: list, hidden, focus };
  }

  // The transitive reduction of src/graph/view/reduce.rs: on the
  // condensation, so cycles keep their edges and reachability is kept.
  function redundantEdges(n, pairs) {
    const out = Array.from({ length: n }, () => []);
    for (const [a, b] of pairs) out[a].push(b);
    const comp = new Array(n).fill(-1), low = new Array(n), num = new Array(n).fill(-1), on = new Array(n).fill(false);
    const stack = []; let counter = 0, comps = 0;
    for (let root = 0; root < n; root++) {
      if (num[root] >= 0) continue;
      const work = [[root, 0]]; num[root] = low[root] = counter++; stack.push(root); on[root] = true;
      while (work.length) {
        const top = work[work.length - 1], v = top[0];
        if (top[1] < out[v].length) {
          const w = out[v][top[1]++];
          if (num[w] < 0) { num[w] = low[w] = counter++; stack.push(w); on[w] = true; work.push([w, 0]); }
          else if (on[w]) low[v] = Math.min(low[v], num[w]);
        } else {
          work.pop();
          if (work.length) { const u = work[work.length - 1][0]; low[u] = Math.min(low[u], low[v]); }
          if (low[v] === num[v]) {
            let w;
            do { w = stack.pop(); on[w] = false; comp[w] = comps; } while (w !== v);
            comps++;
          }
        }
      }
    }
    // Components are numbered sinks first, as petgraph's tarjan_scc does.
    const succ = Array.from({ length: comps }, () => new Set());
    for (const [a, b] of pairs) if (comp[a] !== comp[b]) succ[comp[a]].add(comp[b]);
    const words = Math.ceil(comps / 32) || 1;
    const reach = [];
    for (let c = 0; c < comps; c++) {
      const bits = new Uint32Array(words);
      for (const d of succ[c]) { bits[d >> 5] |= 1 << (d & 31); const more = reach[d]; for (let k = 0; k < words; k++) bits[k] |= more[k]; }
      reach.push(bits);
    }
    const reached = (c, d) => (reach[c][d >> 5] & (1 << (d & 31))) !== 0;
    return pairs.map(([a, b]) => {
      const ca = comp[a], cb = comp[b];
      if (ca === cb) return false;
      for (const c of succ[ca]) if (c !== cb && reached(c, cb)) return true;
      return false;
    });
  }

  // ---- layout ----------------------------------------------------------
  function layers(n, pairs) {
    const out = Array.from({ length: n }, () => []);
    for (const [a, b] of pairs) out[a].push(b);
    const state = new Array(n).fill(0), acyclic = [];
    for (let root = 0; root < n; root++) {
      if (state[root]) continue;
      const work = [[root, 0]]; state[root] = 1;
      while (work.length) {
        const top = work[work.length - 1], v = top[0];
        if (top[1] < out[v].length) {
          const w = out[v][top[1]++];
          if (state[w] === 0) { acyclic.push([v, w]); state[w] = 1; work.push([w, 0]); }
          else if (state[w] === 1) acyclic.push([w, v]);
          else acyclic.push([v, w]);
        } else { state[v] = 2; work.pop(); }
      }
    }
    const incoming = new Array(n).fill(0), forward = Array.from({ length: n }, () => []);
    for (const [a, b] of acyclic) if (a !== b) { forward[a].push(b); incoming[b]++; }
    const layer = new Array(n).fill(0);
    const ready = [];
    for (let v = n - 1; v >= 0; v--) if (!incoming[v]) ready.push(v);
    while (ready.length) {
      const v = ready.pop();
      for (const w of forward[v]) { layer[w] = Math.max(layer[w], layer[v] + 1); if (--incoming[w] === 0) ready.push(w); }
    }
    return layer;
  }

  function inversions(values) {
    let count = 0;
    const sort = (a) => {
      if (a.length < 2) return a;
      const m = a.length >> 1, l = sort(a.slice(0, m)), r = sort(a.slice(m)), out = [];
      let i = 0, j = 0;
      while (i < l.length && j < r.length) { if (r[j] < l[i]) { count += l.length - i; out.push(r[j++]); } else out.push(l[i++]); }
      return out.concat(l.slice(i), r.slice(j));
    };
    sort(values);
    return count;
  }

  function layout(g) {
    const n = g.nodes.length;
    const at = new Map(g.nodes.map((v, i) => [v, i]));
    const pairs = g.edges.map((e) => [at.get(e.from), at.get(e.to)]);
    const label = (v) => nodes[g.nodes[v]].id;
    const expandable = (v) => nodes[g.nodes[v]].children.length > 0;
    const width = (v) => Math.max(48, label(v).length * FONT * CHAR + 2 * PAD + (expandable(v) ? TOGGLE + 4 : 0));
    const layer = lowered(layers(n, pairs), pairs, width);
    const columns = n ? Math.max(...layer) + 1 : 0;
    // Virtual items for every edge over more than one column.
    const itemLayer = layer.slice(), chains = [], proper = [];
    for (const [a0, b0] of pairs) {
      const [a, b] = layer[a0] <= layer[b0] ? [a0, b0] : [b0, a0];
      const chain = [a];
      for (let l = layer[a] + 1; l < layer[b]; l++) { itemLayer.push(l); chain.push(itemLayer.length - 1); }
      chain.push(b);
      for (let k = 1; k < chain.length; k++) proper.push([chain[k - 1], chain[k]]);
      chains.push(chain);
    }
    const count = itemLayer.length;
    const near = Array.from({ length: count }, () => []);
    for (const [a, b] of proper) { near[a].push(b); near[b].push(a); }
    let groups = Array.from({ length: columns }, () => []);
    for (let i = 0; i < count; i++) groups[itemLayer[i]].push(i);
    const pos = new Array(count).fill(0);
    const refresh = () => { for (const column of groups) column.forEach((v, k) => { pos[v] = k; }); };
    const crossings = () => {
      const byColumn = Array.from({ length: columns }, () => []);
      for (const [a, b] of proper) byColumn[itemLayer[a]].push([pos[a], pos[b]]);
      let total = 0;
      for (const list of byColumn) { list.sort((x, y) => x[0] - y[0] || x[1] - y[1]); total += inversions(list.map((p) => p[1])); }
      return total;
    };
    refresh();
    let best = [crossings(), groups.map((c) => c.slice())];
    for (let sweep = 0; sweep < SWEEPS; sweep++) {
      const right = sweep % 2 === 0, median = (sweep >> 1) % 2 === 0;
      for (let step = 1; step < columns; step++) {
        const l = right ? step : columns - 1 - step;
        const key = new Map();
        for (const v of groups[l]) {
          const side = near[v].filter((w) => (right ? itemLayer[w] < l : itemLayer[w] > l)).map((w) => pos[w]).sort((x, y) => x - y);
          let k = pos[v];
          if (side.length) {
            const m = side.length >> 1;
            k = median ? (side.length % 2 ? side[m] : (side[m - 1] + side[m]) / 2) : side.reduce((s, x) => s + x, 0) / side.length;
          }
          key.set(v, k);
        }
        groups[l].sort((a, b) => key.get(a) - key.get(b) || pos[a] - pos[b]);
        refresh();
      }
      const c = crossings();
      if (c < best[0]) best = [c, groups.map((col) => col.slice())];
    }
    groups = best[1];
    refresh();
    const pairCrossings = (u, v) => {
      let c = 0;
      for (const p of near[u]) for (const q of near[v]) {
        if ((itemLayer[p] < itemLayer[u]) === (itemLayer[q] < itemLayer[v]) && pos[p] > pos[q]) c++;
      }
      return c;
    };
    for (let pass = 0; pass < 4; pass++) {
      let better = false;
      for (const column of groups) for (let i = 1; i < column.length; i++) {
        const u = column[i - 1], v = column[i];
        if (pairCrossings(v, u) < pairCrossings(u, v)) { column[i - 1] = v; column[i] = u; pos[u] = i; pos[v] = i - 1; better = true; }
      }
      if (!better) break;
    }
    // Across each row: stacked in order, then each item as near its
    // neighbours' mean as the order and gaps allow (least squares,
    // src/render/layout.rs's `spaced`).
    const half = (v) => (v < n ? width(v) / 2 : 2);
    const sep = (a, b) => half(a) + (a < n && b < n ? ROW_GAP : a >= n && b >= n ? 4 : 8) + half(b);
    const y = new Array(count).fill(0);
    let height = 0;
    for (const column of groups) {
      let h = 0;
      column.forEach((v, k) => { h = k ? h + sep(column[k - 1], v) : half(v); y[v] = h; });
      if (column.length) height = Math.max(height, h + half(column[column.length - 1]));
    }
    for (let pass = 0; pass < PLACE_PASSES; pass++) {
      const order = pass % 2 ? groups.slice().reverse() : groups;
      for (const column of order) {
        if (!column.length) continue;
        const wish = column.map((v) => (near[v].length ? near[v].reduce((s, w) => s + y[w], 0) / near[v].length : y[v]));
        const gaps = column.slice(1).map((v, k) => sep(column[k], v));
        const placed = spaced(wish, gaps, half(column[0]), height - half(column[column.length - 1]));
        column.forEach((v, k) => { y[v] = Math.round(placed[k]); });
      }
    }
    // Rows top to bottom, as render/layout.rs draws crates: a node above
    // what it uses.
    const rowY = [];
    for (let l = 0; l < columns; l++) rowY.push(MARGIN + l * (NODE_H + GAP_DOWN));
    const boxes = [];
    for (let v = 0; v < n; v++) {
      const w = width(v);
      boxes.push({ x: MARGIN + y[v] - w / 2, y: rowY[layer[v]], w, h: NODE_H });
    }
    // Ports: a box's edges spread along its bottom or top by their
    // neighbours' places.
    const sides = new Map();
    const addPort = (item, toward, below) => {
      const key = item + (below ? 'b' : 't');
      if (!sides.has(key)) sides.set(key, new Set());
      sides.get(key).add(toward);
    };
    for (const chain of chains) { addPort(chain[0], chain[1], true); addPort(chain[chain.length - 1], chain[chain.length - 2], false); }
    const ports = new Map();
    for (const [key, set] of sides) {
      const item = parseInt(key, 10);
      const list = Array.from(set).sort((a, b) => y[a] - y[b] || a - b);
      const step = list.length > 1 ? Math.min(10, (width(item) - 12) / (list.length - 1)) : 0;
      const top = y[item] - (step * (list.length - 1)) / 2;
      list.forEach((w, k) => ports.set(item + ',' + w, MARGIN + Math.round(top + step * k)));
    }
    const paths = chains.map((chain, e) => {
      const pts = chain.map((v, k) => {
        const l = itemLayer[v];
        const x = v < n ? ports.get(v + ',' + (k === 0 ? chain[1] : chain[k - 1])) : MARGIN + y[v];
        return { t: rowY[l], b: rowY[l] + NODE_H, x };
      });
      let d = 'M' + pts[0].x + ',' + pts[0].b;
      for (let k = 1; k < pts.length; k++) {
        const a = pts[k - 1], b = pts[k], bend = (b.t - a.b) / 2;
        d += ' C' + a.x + ',' + (a.b + bend) + ' ' + b.x + ',' + (b.t - bend) + ' ' + b.x + ',' + b.t;
        if (k < pts.length - 1) d += ' L' + b.x + ',' + b.b;
      }
      const reversed = layer[pairs[e][0]] > layer[pairs[e][1]];
      return { d, reversed };
    });
    return { boxes, paths, width: height + 2 * MARGIN, height: (columns ? rowY[columns - 1] + NODE_H : 0) + MARGIN };
  }

  // render/layout.rs's `sources_lowered`: a node nothing uses sits just
  // above the first node it uses; a node with no edge in the row with the
  // most room.
  function lowered(layer, pairs, width) {
    const n = layer.length;
    const used = new Array(n).fill(false), uses = Array.from({ length: n }, () => []);
    for (const [a, b] of pairs) if (a !== b) { used[b] = true; uses[a].push(b); }
    for (let v = 0; v < n; v++) {
      if (!used[v] && uses[v].length) layer[v] = Math.max(layer[v], Math.min(...uses[v].map((w) => layer[w])) - 1);
    }
    const rows = n ? Math.max(...layer) + 1 : 1;
    const room = new Array(rows).fill(0);
    const lonely = [];
    for (let v = 0; v < n; v++) {
      if (!used[v] && !uses[v].length) lonely.push(v); else room[layer[v]] += width(v);
    }
    for (const v of lonely) {
      let row = 0;
      for (let r = 1; r < rows; r++) if (room[r] < room[row]) row = r;
      layer[v] = row;
      room[row] += width(v);
    }
    return layer;
  }

  function spaced(wish, gaps, low, high) {
    const before = [0];
    for (let i = 1; i < wish.length; i++) before.push(before[i - 1] + gaps[i - 1]);
    const blocks = [];
    wish.forEach((d, i) => {
      blocks.push([d - before[i], 1]);
      while (blocks.length > 1) {
        const b2 = blocks[blocks.length - 1], b1 = blocks[blocks.length - 2];
        if (b1[0] / b1[1] <= b2[0] / b2[1]) break;
        blocks.pop();
        blocks[blocks.length - 1] = [b1[0] + b2[0], b1[1] + b2[1]];
      }
    });
    const ceiling = Math.max(high - before[before.length - 1], low);
    const out = [];
    for (const [sum, w] of blocks) {
      const z = Math.min(Math.max(sum / w, low), ceiling);
      for (let k = 0; k < w; k++) out.push(z + before[out.length]);
    }
    return out;
  }

  // ---- drawing ---------------------------------------------------------
  const svg = document.getElementById('graph');
  const card = document.getElementById('card');
  const details = document.getElementById('details');
  let view = { x: 0, y: 0, k: 1 }, viewport = null, drawn = null;
  const el = (name, attrs, parent) => {
    const e = document.createElementNS(SVG, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  };
  const html = (tag, text, parent, cls) => {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = text;
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  };
  const width = (e) => 1 + Math.min(4, Math.log2(e.count) * 0.6) + (e.rules.size ? 0.8 : 0);

  function site(s, parent) {
    const li = html('li', null, parent);
    const where = s.file + ':' + s.line;
    if (data.link) {
      const a = html('a', where, li);
      a.href = data.link.split('{file}').join(encodeURI(s.file)).split('{line}').join(String(s.line));
      a.target = '_blank';
      a.rel = 'noopener';
    } else html('span', where, li);
    html('span', ' ' + s.path + ' (' + s.via + ')', li);
    if (s.rules.length) html('span', ' ' + s.rules.map((r) => data.rules[r]).join(', '), li, 'rule');
  }

  function render(fit) {
    const g = shownGraph();
    const placed = layout(g);
    drawn = { g, placed };
    svg.textContent = '';
    el('defs', {}, svg).innerHTML =
      '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#6b7280"/></marker>' +
      '<marker id="arrow-red" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#d32f2f"/></marker>';
    viewport = el('g', { id: 'viewport' }, svg);
    const selected = state.selected;
    const order = g.edges.map((e, i) => i).sort((a, b) => (g.edges[a].rules.size > 0) - (g.edges[b].rules.size > 0) || a - b);
    for (const i of order) {
      const e = g.edges[i], p = placed.paths[i];
      const red = e.rules.size > 0;
      const cls = 'edge' + (red ? ' violation' : '') + (selected !== null && e.parts.includes(selected) ? ' selected' : '');
      const marker = red ? 'url(#arrow-red)' : 'url(#arrow)';
      const attrs = { class: cls, d: p.d, 'stroke-width': width(e), 'data-from': nodes[e.from].id, 'data-to': nodes[e.to].id };
      attrs[p.reversed ? 'marker-start' : 'marker-end'] = marker;
      el('path', attrs, viewport);
      const hit = el('path', { class: 'hit', d: p.d }, viewport);
      hit.addEventListener('mousemove', (ev) => showCard(ev, e));
      hit.addEventListener('mouseleave', () => { card.hidden = true; });
      hit.addEventListener('click', (ev) => { ev.stopPropagation(); showEdge(e); });
    }
    g.nodes.forEach((v, k) => {
      const n = nodes[v], b = placed.boxes[k];
      const expanded = state.expanded.has(n.id) && n.children.length > 0;
      const cls = 'node' + (n.external ? ' external' : '') + (expanded ? ' expanded' : '') +
        (g.focus === v ? ' focused' : '') + (state.match === n.id ? ' match' : '');
      const group = el('g', { class: cls, 'data-id': n.id }, viewport);
      el('title', {}, group).textContent = n.id + (n.file ? ' (' + n.file + ')' : '');
      el('rect', { class: 'box', x: b.x, y: b.y, width: b.w, height: b.h, rx: 6 }, group);
      const offset = n.children.length ? TOGGLE + 4 : 0;
      el('text', { x: b.x + offset + (b.w - offset) / 2, y: b.y + b.h / 2 + FONT * 0.35, 'text-anchor': 'middle' }, group).textContent = n.id;
      group.addEventListener('click', (ev) => { ev.stopPropagation(); go(() => { state.focus = n.id; state.selected = null; state.match = null; }); showNode(n); });
      if (n.children.length) {
        const t = el('g', { class: 'toggle', 'data-id': n.id }, group);
        el('rect', { x: b.x + 5, y: b.y + (b.h - TOGGLE) / 2, width: TOGGLE, height: TOGGLE, rx: 3 }, t);
        el('text', { x: b.x + 5 + TOGGLE / 2, y: b.y + b.h / 2 + 4, 'text-anchor': 'middle' }, t).textContent = expanded ? '\u2212' : '+';
        el('title', {}, t).textContent = expanded ? 'collapse ' + n.id : 'expand ' + n.id + ' into its ' + n.children.length + ' modules';
        t.addEventListener('click', (ev) => { ev.stopPropagation(); toggle(n); });
      }
    });
    svg.setAttribute('data-nodes', g.nodes.length);
    svg.setAttribute('data-edges', g.edges.length);
    document.getElementById('status').textContent = g.nodes.length + ' nodes \u00b7 ' + g.edges.length + ' edges' +
      (g.hidden ? ' \u00b7 ' + g.hidden + ' implied by longer paths hidden' : '');
    document.getElementById('back').disabled = past.length === 0;
    document.getElementById('reduce').checked = state.reduce;
    document.getElementById('externals').checked = state.externals;
    for (const li of document.querySelectorAll('#violations li')) li.classList.toggle('selected', Number(li.dataset.edge) === selected);
    if (fit) fitView(); else applyView();
    document.body.dataset.ready = '1';
    if (!document.body.dataset.firstDrawnMs) document.body.dataset.firstDrawnMs = String(Math.round(performance.now()));
  }

  function toggle(n) {
    go(() => {
      if (state.expanded.has(n.id)) {
        state.expanded.delete(n.id);
        // A focus inside what folds up moves to the folded node.
        if (state.focus && state.focus.startsWith(n.id + '::')) state.focus = n.id;
      } else state.expanded.add(n.id);
    });
    showNode(n);
  }

  function fitView() {
    const box = svg.getBoundingClientRect();
    const p = drawn.placed;
    // The whole drawing when its text stays readable; else readable text,
    // from the top left (where the dependents start), to pan from.
    const whole = Math.min(1.5, box.width / Math.max(p.width, 1), box.height / Math.max(p.height, 1));
    const k = Math.max(whole, MIN_FIT);
    view = {
      k,
      x: p.width * k <= box.width ? (box.width - p.width * k) / 2 : 0,
      y: p.height * k <= box.height ? (box.height - p.height * k) / 2 : 0,
    };
    applyView();
  }
  function applyView() { viewport.setAttribute('transform', 'translate(' + view.x + ',' + view.y + ') scale(' + view.k + ')'); }

  function showCard(ev, e) {
    card.textContent = '';
    html('b', nodes[e.from].id + ' \u2192 ' + nodes[e.to].id, card);
    html('div', e.count + ' reference' + (e.count === 1 ? '' : 's') + (e.violating ? ', ' + e.violating + ' breaking ' + Array.from(e.rules).map((r) => data.rules[r]).join(', ') : ''), card);
    const ul = html('ul', null, card, 'refs');
    let shown = 0;
    for (const part of e.parts) for (const s of edges[part].sites) { if (shown++ < 3) site(s, ul); }
    const box = document.getElementById('canvas').getBoundingClientRect();
    card.style.left = Math.min(ev.clientX - box.left + 14, box.width - 300) + 'px';
    card.style.top = (ev.clientY - box.top + 14) + 'px';
    card.hidden = false;
  }

  function clearDetails(title) {
    details.textContent = '';
    html('h2', title, details);
  }

  function showNode(n) {
    clearDetails(n.id);
    html('div', n.external ? 'external crate' : (n.parent < 0 ? 'crate ' : 'module of ') + n.crate, details);
    if (n.file) html('div', n.file, details, 'refs');
    if (n.children.length) html('div', n.children.length + ' child module' + (n.children.length === 1 ? '' : 's') + ': use its + to expand it', details, 'hint');
  }

  function showEdge(e) {
    clearDetails(nodes[e.from].id + ' \u2192 ' + nodes[e.to].id);
    html('div', e.count + ' references', details);
    const ul = html('ul', null, details, 'refs');
    for (const part of e.parts) for (const s of edges[part].sites) site(s, ul);
  }

  function showViolation(i) {
    const e = edges[i];
    clearDetails(nodes[e.from].id + ' \u2192 ' + nodes[e.to].id);
    const rules = html('div', null, details);
    html('span', e.rules.map((r) => data.rules[r]).join(', '), rules, 'rule');
    html('span', ' \u00b7 ' + e.violating + ' of ' + e.count + ' references', rules);
    const ul = html('ul', null, details, 'refs');
    ul.id = 'violation-references';
    for (const s of e.sites) if (s.rules.length) site(s, ul);
    const listed = e.sites.filter((s) => s.rules.length).length;
    if (e.violating > listed) html('div', (e.violating - listed) + ' more', details, 'hint');
  }

  // ---- the side list of violations, by rule ---------------------------
  (function violations() {
    const box = document.getElementById('violations');
    if (!data.rules.length) { html('p', 'No violations.', box, 'none'); return; }
    data.rules.forEach((name, r) => {
      const list = edges.filter((e) => e.rules.includes(r));
      const group = html('details', null, box);
      group.open = true;
      group.dataset.rule = name;
      html('summary', name + ' (' + list.reduce((s, e) => s + e.violating, 0) + ')', group);
      const ul = html('ul', null, group);
      for (const e of list) {
        const li = html('li', nodes[e.from].id + ' \u2192 ' + nodes[e.to].id + ' (' + e.violating + ')', ul);
        li.dataset.edge = e.index;
        li.addEventListener('click', () => {
          go(() => {
            state.selected = e.index;
            state.match = null;
            // The violation's edge must be on screen: its ends apart (open
            // what holds both), external crates shown, no focus hiding it.
            let rep = representatives();
            while (rep[e.from] === rep[e.to]) { state.expanded.add(nodes[rep[e.from]].id); rep = representatives(); }
            if (nodes[e.to].external) state.externals = true;
            const f = state.focus !== null ? rep[byId.get(state.focus)] : null;
            if (f !== null && rep[e.from] !== f && rep[e.to] !== f) state.focus = null;
          });
          showViolation(e.index);
        });
      }
    });
  })();

  // ---- controls --------------------------------------------------------
  const names = document.getElementById('names');
  for (const n of nodes) { const o = document.createElement('option'); o.value = n.id; names.appendChild(o); }
  const search = document.getElementById('search');
  function find(text) {
    const q = text.trim().toLowerCase();
    if (!q) return;
    let hit = nodes.find((n) => n.id.toLowerCase() === q);
    if (!hit) hit = nodes.find((n) => n.id.toLowerCase().split('::').pop() === q);
    if (!hit) hit = nodes.find((n) => n.id.toLowerCase().includes(q));
    if (!hit) { document.getElementById('status').textContent = 'nothing is called \u201c' + text + '\u201d'; return; }
    go(() => {
      for (let p = hit.parent; p >= 0; p = nodes[p].parent) state.expanded.add(nodes[p].id);
      if (hit.external) state.externals = true;
      state.focus = hit.id; state.match = hit.id; state.selected = null;
    });
    showNode(hit);
  }
  search.addEventListener('keydown', (ev) => { if (ev.key === 'Enter') find(search.value); });
  search.addEventListener('change', () => find(search.value));
  document.getElementById('back').addEventListener('click', back);
  function back() { if (past.length) { state = past.pop(); render(true); clearDetails('Details'); } }
  document.addEventListener('keydown', (ev) => { if (ev.key === 'Backspace' && ev.target === document.body) back(); });
  document.getElementById('overview').addEventListener('click', () => go(() => { state.expanded = new Set(); state.focus = null; state.selected = null; state.match = null; }));
  document.getElementById('reduce').addEventListener('change', (ev) => go(() => { state.reduce = ev.target.checked; }));
  document.getElementById('externals').addEventListener('change', (ev) => go(() => { state.externals = ev.target.checked; }));

  // Pan with a drag on the background, zoom with the wheel around the pointer.
  let drag = null;
  svg.addEventListener('mousedown', (ev) => { drag = { x: ev.clientX, y: ev.clientY, vx: view.x, vy: view.y }; svg.classList.add('panning'); });
  window.addEventListener('mousemove', (ev) => { if (drag) { view.x = drag.vx + ev.clientX - drag.x; view.y = drag.vy + ev.clientY - drag.y; applyView(); } });
  window.addEventListener('mouseup', () => { drag = null; svg.classList.remove('panning'); });
  svg.addEventListener('wheel', (ev) => {
    ev.preventDefault();
    const box = svg.getBoundingClientRect();
    const px = ev.clientX - box.left, py = ev.clientY - box.top;
    const k = Math.min(8, Math.max(0.05, view.k * Math.exp(-ev.deltaY * 0.0015)));
    view.x = px - ((px - view.x) * k) / view.k;
    view.y = py - ((py - view.y) * k) / view.k;
    view.k = k;
    applyView();
  }, { passive: false });
  window.addEventListener('resize', () => fitView());

  render(true);
})();
