/**
 * The dashboard's script, inlined (CSP allows exactly this block by its hash). Plain ES2020 with
 * no dependencies. It builds every element with textContent (never innerHTML), so names from the
 * API cannot inject markup. The token lives in sessionStorage and travels only in the
 * Authorization header, never in a URL. A viewer, approver or admin token sees the province; an
 * agency token (which may not read the assessment: 403) sees its own agency only, from the
 * agency's progress route, so the link `…/dashboard#agency-<id>` in an agency's email works.
 */
export const DASHBOARD_JS = `
(function () {
  'use strict';
  var KEY = 'ita-dashboard-token';
  var path = location.pathname;
  var at = path.indexOf('/assessments/');
  var id = decodeURIComponent(path.slice(at + 13).split('/')[0] || '');
  var api = path.slice(0, at) + '/assessments/' + encodeURIComponent(id);
  var MONTHS = ['ม.ค.', 'ก.พ.', 'มี.ค.', 'เม.ย.', 'พ.ค.', 'มิ.ย.', 'ก.ค.', 'ส.ค.', 'ก.ย.', 'ต.ค.', 'พ.ย.', 'ธ.ค.'];
  var STATE = { 'not-started': 'ยังไม่เริ่ม', 'on-track': 'ตามแผน', behind: 'ล่าช้า', overdue: 'เกินกำหนด', complete: 'ครบถ้วน' };
  var SVGNS = 'http://www.w3.org/2000/svg';

  function $(sel) { return document.querySelector(sel); }
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    (children || []).forEach(function (c) { node.append(c); });
    return node;
  }
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, String(attrs[k])); });
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function day(iso) { var p = iso.split('-'); return Date.UTC(+p[0], +p[1] - 1, +p[2]) / 86400000; }
  function thaiDate(iso) { var p = iso.split('-'); return +p[2] + ' ' + MONTHS[+p[1] - 1] + ' ' + (+p[0] + 543); }
  function n2(x) { return Number(x).toFixed(2); }
  function pct(a, b) { return b > 0 ? Math.min(100, (a / b) * 100) : 100; }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  function get(p, token) {
    return fetch(api + p, { headers: { authorization: 'Bearer ' + token }, cache: 'no-store' }).then(function (r) {
      if (!r.ok) throw { status: r.status };
      return r.json();
    });
  }

  function show(loggedIn) {
    $('#login').classList.toggle('hidden', loggedIn);
    $('#content').classList.toggle('hidden', !loggedIn);
    $('#logout').classList.toggle('hidden', !loggedIn);
  }

  function hashAgency() {
    var m = /^#agency-(.+)$/.exec(location.hash);
    return m ? decodeURIComponent(m[1]) : '';
  }

  function province(token, a) {
    return Promise.all([get('/progress', token), get('/forecast', token)]).then(function (all) {
      mode(false);
      render(a, all[0], all[1]);
      var target = hashAgency() && document.getElementById('agency-' + hashAgency());
      if (target) target.scrollIntoView();
    });
  }

  /** An agency token: its own row of the province progress, then its own progress route and tasks. */
  function agency(token) {
    return get('/progress', token).then(function (progress) {
      var wanted = hashAgency();
      var row = progress.agencies.filter(function (r) { return !wanted || r.agencyId === wanted; })[0] || progress.agencies[0];
      if (!row) throw { status: 403 };
      return Promise.all([get('/agencies/' + encodeURIComponent(row.agencyId) + '/progress', token), get('/tasks', token)]).then(function (all) {
        mode(true);
        renderAgency(progress, row, all[0], all[1].tasks || []);
      });
    });
  }

  function mode(agencyOnly) {
    ['#forecast', '#behind', '#agencies', '#timeline', '#pace'].forEach(function (sel) { $(sel).classList.toggle('hidden', agencyOnly); });
    $('#agency-view').classList.toggle('hidden', !agencyOnly);
  }

  function load(token) {
    $('#status').textContent = 'กำลังโหลดข้อมูล…';
    get('', token).then(function (a) { return province(token, a); }, function (err) {
      if (err && err.status === 403) return agency(token);
      throw err;
    }).then(function () {
      $('#status').textContent = '';
      show(true);
    }, function (err) {
      var denied = err && (err.status === 401 || err.status === 403);
      if (denied) sessionStorage.removeItem(KEY);
      show(false);
      $('#status').textContent = denied
        ? 'โทเคนไม่ถูกต้อง หมดอายุ หรือไม่มีสิทธิ์ดูข้อมูลนี้'
        : 'โหลดข้อมูลไม่สำเร็จ ลองใหม่อีกครั้ง';
    });
  }

  function render(a, progress, forecast) {
    $('#title').textContent = 'แดชบอร์ด ITA ' + a.unitName + ' ปีงบประมาณ พ.ศ. ' + a.fiscalYear;
    $('#asof').textContent = 'ข้อมูล ณ วันที่ ' + thaiDate(progress.date);
    renderForecast(forecast);
    renderBehind(progress, forecast);
    renderAgencies(progress);
    renderTimeline(a.milestones, progress.date);
    renderPace(a.milestones, progress);
  }

  function scoreBox(idName, label, end) {
    return el('div', { id: idName }, [
      el('span', { class: 'muted' }, [label]),
      el('strong', { 'data-total': n2(end.total) }, [n2(end.total)]),
      el('span', {}, [end.label + ' (' + end.grade + ') · OIT ' + n2(end.oit) + ' · ผ่าน ' + end.passingItems + ' ข้อ']),
    ]);
  }

  function renderForecast(f) {
    var box = clear($('#forecast-body'));
    box.append(el('div', { class: 'score' }, [
      scoreBox('forecast-conservative', 'ประมาณการขั้นต่ำ (นับเฉพาะที่อนุมัติแล้ว)', f.conservative),
      scoreBox('forecast-optimistic', 'ประมาณการขั้นสูง (ส่งแล้ว + อนุมัติแล้ว)', f.optimistic),
    ]));
    var basis = 'IIT ' + n2(f.surveys.iit) + ' + EIT ' + n2(f.surveys.eit);
    if (f.surveys.source === 'previous') basis += ' (ใช้ผลปี ' + f.surveys.fromFiscalYear + ' จนกว่าจะมีผลปีนี้)';
    if (f.surveys.source === 'none') basis += ' (ยังไม่มีผล IIT/EIT)';
    box.append(el('p', { class: 'muted' }, [basis]));
    var list = el('ul', { id: 'targets' });
    f.conservative.targets.forEach(function (t) {
      var text = t.itemsNeeded === 0 ? 'ถึงแล้ว'
        : t.itemsNeeded === null ? 'OIT อย่างเดียวไม่พอ (สูงสุดที่เป็นไปได้ ' + n2(f.ceiling) + ')'
        : 'ต้องผ่าน OIT เพิ่มอีก ' + t.itemsNeeded + ' ข้อ: ' + t.items.join(', ');
      list.append(el('li', { 'data-target': String(t.target) }, ['เป้าหมาย ' + t.target + ' คะแนน: ' + text]));
    });
    box.append(list);
  }

  function finding(f) {
    var tool = f.tool ? f.tool.toUpperCase() + ' ' : '';
    switch (f.what) {
      case 'oit-behind': return 'OIT ทำแล้ว ' + f.done + '/' + f.assigned + ' ข้อ ควรถึง ' + f.expected + ' (กำหนด ' + thaiDate(f.deadline) + ')';
      case 'oit-incomplete': return 'OIT ยังไม่ครบ ' + f.done + '/' + f.assigned + ' ข้อ เลยกำหนด ' + thaiDate(f.deadline);
      case 'survey-behind': return tool + 'ตอบแล้ว ' + f.responses + '/' + f.required + ' ควรถึง ' + f.expected + ' (กำหนด ' + thaiDate(f.deadline) + ')';
      case 'survey-incomplete': return tool + 'ยังไม่ครบ ' + f.responses + '/' + f.required + ' เลยกำหนด ' + thaiDate(f.deadline);
      case 'survey-stale': return tool + 'ไม่ได้รายงานจำนวนผู้ตอบมา ' + f.days + ' วัน';
      case 'task-behind': return 'งานปรับปรุง ' + (f.taskId || '') + ' ล่าช้ากว่าแผน';
      case 'task-overdue': return 'งานปรับปรุง ' + (f.taskId || '') + ' เลยกำหนด';
      default: return f.what;
    }
  }

  /** Survey, OIT findings one line each; task findings folded into one line, since one plan task can be late for every agency. */
  function findingLines(findings) {
    var tasks = findings.filter(function (f) { return f.what === 'task-behind' || f.what === 'task-overdue'; });
    var lines = findings.filter(function (f) { return tasks.indexOf(f) < 0; }).map(finding);
    if (tasks.length) lines.push('งานปรับปรุงล่าช้า ' + tasks.length + ' งาน: ' + tasks.map(function (f) { return f.taskId || ''; }).join(', '));
    return lines;
  }

  function renderBehind(progress, forecast) {
    var box = clear($('#behind-body'));
    var late = progress.agencies.filter(function (r) { return r.state === 'behind' || r.state === 'overdue'; });
    if (late.length === 0) box.append(el('p', {}, ['ไม่มีหน่วยงานที่ล่าช้า']));
    late.forEach(function (r) {
      box.append(el('div', { class: 'agency', 'data-behind': r.agencyId }, [
        el('h3', {}, [r.nameTh, el('span', { class: 'badge ' + r.state }, [STATE[r.state] || r.state])]),
        el('ul', {}, findingLines(r.findings).map(function (line) { return el('li', {}, [line]); })),
      ]));
    });
    var open = forecast.items.filter(function (i) { return i.status !== 'approved'; });
    box.append(el('p', { class: 'muted' }, ['ข้อ OIT ที่จังหวัดยังไม่อนุมัติครบ ' + open.length + ' จาก ' + forecast.items.length + ' ข้อ']));
  }

  function bar(agencyId, tool, done, total) {
    var fill = el('div', { class: 'fill' + (pct(done, total) < 50 ? ' low' : '') });
    fill.style.width = pct(done, total) + '%';
    return el('div', { class: 'bar', 'data-agency': agencyId, 'data-tool': tool }, [
      el('span', {}, [tool]), el('div', { class: 'track' }, [fill]), el('span', { class: 'num' }, [done + '/' + total]),
    ]);
  }

  var ITEM = { missing: 'ยังไม่ส่ง', submitted: 'ส่งแล้ว รออนุมัติ', approved: 'อนุมัติแล้ว', rejected: 'ส่งกลับแก้ไข' };
  var TASK = { planned: 'ยังไม่เริ่ม', in_progress: 'กำลังดำเนินการ', done: 'เสร็จแล้ว', cancelled: 'ยกเลิก' };

  function renderAgency(progress, row, detail, tasks) {
    $('#title').textContent = 'แดชบอร์ด ITA ' + detail.agency.nameTh;
    $('#asof').textContent = 'ข้อมูล ณ วันที่ ' + thaiDate(progress.date) + ' · ' + progress.unitName;
    var box = clear($('#agency-body'));
    box.setAttribute('data-agency-view', detail.agency.id);
    box.append(el('h3', {}, [detail.agency.nameTh, el('span', { class: 'badge ' + row.state }, [STATE[row.state] || row.state])]));
    var lines = findingLines(row.findings);
    if (lines.length) box.append(el('ul', { id: 'agency-findings' }, lines.map(function (line) { return el('li', {}, [line]); })));
    box.append(bar(detail.agency.id, 'OIT', detail.oit.done, detail.oit.assigned));
    box.append(bar(detail.agency.id, 'IIT', detail.surveys.iit.responses, detail.surveys.iit.required));
    box.append(bar(detail.agency.id, 'EIT', detail.surveys.eit.responses, detail.surveys.eit.required));
    var items = el('table', { id: 'agency-items' }, [el('tr', {}, [el('th', {}, ['ข้อ']), el('th', {}, ['รายการ']), el('th', {}, ['สถานะ'])])]);
    detail.items.forEach(function (i) {
      items.append(el('tr', { 'data-item': i.itemId, 'data-status': i.status }, [el('td', {}, [i.itemId]), el('td', {}, [i.nameTh]), el('td', {}, [ITEM[i.status] || i.status])]));
    });
    box.append(el('h3', {}, ['ข้อ OIT ที่รับผิดชอบ']), el('div', { class: 'scroll' }, [items]));
    var list = el('ul', { id: 'agency-tasks' });
    tasks.forEach(function (t) {
      list.append(el('li', { 'data-task': t.id }, [t.id + ': ' + ((t.theme && t.theme.title) || '') + ' — ' + (TASK[t.status] || t.status) + ' ' + t.progress + '% (สิ้นสุด ' + thaiDate(t.window.end) + ')']));
    });
    box.append(el('h3', {}, ['งานพัฒนาที่รับผิดชอบ']), tasks.length ? list : el('p', { class: 'muted' }, ['ไม่มีงานพัฒนาที่รับผิดชอบ']));
  }

  function renderAgencies(progress) {
    var box = clear($('#agencies-body'));
    progress.agencies.forEach(function (r) {
      box.append(el('div', { class: 'agency', id: 'agency-' + r.agencyId }, [
        el('h3', {}, [r.nameTh, el('span', { class: 'badge ' + r.state }, [STATE[r.state] || r.state])]),
        bar(r.agencyId, 'OIT', r.oit.done, r.oit.assigned),
        bar(r.agencyId, 'IIT', r.surveys.iit.responses, r.surveys.iit.required),
        bar(r.agencyId, 'EIT', r.surveys.eit.responses, r.surveys.eit.required),
        el('p', { class: 'muted', 'data-open-tasks': r.agencyId }, ['งานปรับปรุงที่ยังไม่เสร็จ ' + (r.openTasks || 0) + ' งาน']),
      ]));
    });
  }

  function renderTimeline(milestones, today) {
    var first = milestones.reduce(function (m, x) { return x.window.start < m ? x.window.start : m; }, milestones[0].window.start);
    var last = milestones.reduce(function (m, x) { return x.window.end > m ? x.window.end : m; }, milestones[0].window.end);
    var y0 = +first.slice(0, 4), m0 = +first.slice(5, 7), y1 = +last.slice(0, 4), m1 = +last.slice(5, 7);
    var months = [];
    for (var y = y0, m = m0; y < y1 || (y === y1 && m <= m1); m === 12 ? (y++, m = 1) : m++) months.push([y, m]);
    var start = day(first.slice(0, 8) + '01');
    var endMonth = months[months.length - 1];
    var end = Date.UTC(endMonth[0], endMonth[1], 1) / 86400000;
    var left = 250, width = 980, row = 24, top = 30;
    var height = top + milestones.length * row + 10;
    var x = function (d) { return left + ((d - start) / (end - start)) * (width - left - 8); };
    var chart = svg('svg', { width: width, height: height, viewBox: '0 0 ' + width + ' ' + height, role: 'img', 'aria-label': 'ปฏิทินการขับเคลื่อน' });
    months.forEach(function (ym) {
      var s = Date.UTC(ym[0], ym[1] - 1, 1) / 86400000, e = Date.UTC(ym[0], ym[1], 1) / 86400000;
      chart.append(svg('rect', { x: x(s), y: 0, width: x(e) - x(s), height: height, fill: ym[1] % 2 ? '#f7f9fc' : '#eef2f7' }));
      chart.append(svg('text', { x: (x(s) + x(e)) / 2, y: 18, 'text-anchor': 'middle', 'font-size': 12, fill: '#1d2733' },
        MONTHS[ym[1] - 1] + ' ' + String(ym[0] + 543).slice(2)));
    });
    var colors = { survey_collection: '#2f6fb3', oit_publishing: '#1f8a4c', oit_approval: '#6a3fb3', monitoring: '#8a94a3', informational: '#7fb0de' };
    milestones.forEach(function (ms, i) {
      var yy = top + i * row;
      var label = ms.number + '. ' + ms.title;
      var t = svg('text', { x: 4, y: yy + 15, 'font-size': 11.5, fill: '#1d2733' }, label.length > 40 ? label.slice(0, 39) + '…' : label);
      t.append(svg('title', {}, label + ' (' + ms.windowTh + ')'));
      chart.append(t);
      var b = svg('rect', { x: x(day(ms.window.start)), y: yy + 4, width: Math.max(3, x(day(ms.window.end) + 1) - x(day(ms.window.start))),
        height: row - 8, rx: 3, fill: colors[ms.tracks] || '#7fb0de', 'data-milestone': ms.number });
      b.append(svg('title', {}, label + ' (' + ms.windowTh + ')'));
      chart.append(b);
    });
    var d = day(today);
    if (d >= start && d < end) {
      chart.append(svg('line', { x1: x(d), x2: x(d), y1: 22, y2: height, stroke: '#c62828', 'stroke-width': 2, id: 'today-line' }));
      chart.append(svg('text', { x: x(d) + 3, y: height - 4, 'font-size': 11, fill: '#c62828' }, 'วันนี้'));
    }
    clear($('#timeline-body')).append(chart);
  }

  function paceChart(tool, ms, progress) {
    var w = 460, h = 230, l = 40, r = 12, t = 14, b = 34;
    var s = day(ms.window.start), e = day(ms.window.end), today = day(progress.date);
    var x = function (d) { return l + ((Math.min(Math.max(d, s), e) - s) / (e - s)) * (w - l - r); };
    var y = function (p) { return h - b - (Math.min(p, 110) / 110) * (h - t - b); };
    var chart = svg('svg', { width: w, height: h, viewBox: '0 0 ' + w + ' ' + h, role: 'img', 'aria-label': 'ความก้าวหน้า ' + tool.toUpperCase(), 'data-pace': tool });
    [0, 25, 50, 75, 100].forEach(function (p) {
      chart.append(svg('line', { x1: l, x2: w - r, y1: y(p), y2: y(p), stroke: '#e3e8ee' }));
      chart.append(svg('text', { x: l - 4, y: y(p) + 4, 'text-anchor': 'end', 'font-size': 10, fill: '#5b6675' }, p + '%'));
    });
    chart.append(svg('line', { x1: x(s), y1: y(0), x2: x(e), y2: y(100), stroke: '#8a94a3', 'stroke-width': 2, 'stroke-dasharray': '6 4' }));
    chart.append(svg('text', { x: x(s), y: h - 14, 'font-size': 10, fill: '#5b6675' }, thaiDate(ms.window.start)));
    chart.append(svg('text', { x: w - r, y: h - 14, 'text-anchor': 'end', 'font-size': 10, fill: '#5b6675' }, thaiDate(ms.window.end)));
    if (today >= s && today <= e) chart.append(svg('line', { x1: x(today), x2: x(today), y1: t, y2: h - b, stroke: '#c62828' }));
    progress.agencies.forEach(function (a, i) {
      var sv = a.surveys[tool];
      var when = sv.asOf ? day(sv.asOf) : Math.min(today, e);
      var p = pct(sv.responses, sv.required);
      var expected = ((Math.min(Math.max(when, s), e) - s) / (e - s)) * 100;
      var c = svg('circle', { cx: x(when) + (i % 3) * 3, cy: y(p), r: 5, fill: p + 0.001 >= expected * 0.9 ? '#1f8a4c' : '#c77700', stroke: '#fff' });
      c.append(svg('title', {}, a.nameTh + ': ' + sv.responses + '/' + sv.required));
      chart.append(c);
    });
    return el('figure', {}, [chart, el('figcaption', { class: 'muted' }, [tool.toUpperCase() + ': จุดแต่ละหน่วยงาน (% ของจำนวนขั้นต่ำ) เทียบเส้นประที่ควรเป็น'])]);
  }

  function renderPace(milestones, progress) {
    var box = clear($('#pace-body'));
    var ms = milestones.find(function (m) { return m.tracks === 'survey_collection'; });
    if (!ms) { box.append(el('p', {}, ['แผนไม่มีช่วงเก็บแบบวัด IIT/EIT'])); return; }
    box.append(paceChart('iit', ms, progress), paceChart('eit', ms, progress));
  }

  $('#token-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var token = $('#token').value.trim();
    $('#token').value = '';
    if (!token) return;
    sessionStorage.setItem(KEY, token);
    load(token);
  });
  $('#logout').addEventListener('click', function () {
    sessionStorage.removeItem(KEY);
    show(false);
    $('#status').textContent = '';
  });
  var saved = sessionStorage.getItem(KEY);
  if (saved) load(saved);
})();
`;
