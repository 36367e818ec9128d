import { useEffect, useState } from 'preact/hooks';
import { findingLine } from '../../../shared/domain/emails/templates.ts';
import { thaiMonthName } from '../../../shared/domain/thai-date.ts';
import { assessmentPath, request } from '../api.ts';
import { Badge, Bar, Notice, PageHeading } from '../components.tsx';
import { thaiDate, thaiDateTime } from '../format.ts';
import { LinkStateBadge } from '../link-health.tsx';
import { PACE_STATE, thaiError } from '../messages.ts';
import type { Session } from '../session.ts';
import type { AssessmentView, Forecast, LinkList, Milestone, Progress, ProgressRow } from '../types.ts';

type Data = { progress: Progress; assessment?: AssessmentView; forecast?: Forecast; deadLinks?: LinkList };

const day = (iso: string) => {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / 86_400_000;
};
const n2 = (x: number) => x.toFixed(2);

/**
 * The province at a glance: forecast, what is behind, every agency's OIT/IIT/EIT, the plan as a
 * month timeline and the survey pace. An agency (which may not read the province) sees its own row.
 */
export const DashboardPage = ({ session }: { session: Session }) => {
  const [data, setData] = useState<Data | null>(null);
  const [error, setError] = useState('');
  const aid = session.assessmentId;
  const province = session.role !== 'agency';

  useEffect(() => {
    const token = session.token;
    Promise.all([
      request<Progress>('GET', assessmentPath(aid, '/progress'), { token }),
      province ? request<AssessmentView>('GET', assessmentPath(aid), { token }) : undefined,
      province ? request<Forecast>('GET', assessmentPath(aid, '/forecast'), { token }) : undefined,
      province ? request<LinkList>('GET', assessmentPath(aid, '/links?state=dead'), { token }) : undefined,
    ]).then(
      ([progress, assessment, forecast, deadLinks]) =>
        setData({
          progress,
          ...(assessment ? { assessment } : {}),
          ...(forecast ? { forecast } : {}),
          ...(deadLinks ? { deadLinks } : {}),
        }),
      (failure) => setError(thaiError(failure)),
    );
  }, [session.token]);

  const title = data?.assessment
    ? `แดชบอร์ด ITA ${data.assessment.unitName} ปีงบประมาณ พ.ศ. ${data.assessment.fiscalYear}`
    : 'แดชบอร์ด ITA';
  return (
    <div class="page dashboard">
      <section class="card" aria-labelledby="page-heading">
        <PageHeading>{title}</PageHeading>
        {data && <p class="muted">ข้อมูล ณ วันที่ {thaiDate(data.progress.date)}</p>}
        {error ? (
          <Notice message={{ kind: 'error', text: error }} />
        ) : (
          !data && <p class="muted">กำลังโหลด…</p>
        )}
      </section>
      {data?.forecast && <ForecastCard forecast={data.forecast} />}
      {data && <BehindCard progress={data.progress} />}
      {data?.deadLinks && <DeadLinksCard list={data.deadLinks} />}
      {data && <AgenciesCard rows={data.progress.agencies} />}
      {data?.assessment && <Timeline milestones={data.assessment.milestones} today={data.progress.date} />}
      {data?.assessment && <PaceCard milestones={data.assessment.milestones} progress={data.progress} />}
    </div>
  );
};

const ForecastCard = ({ forecast }: { forecast: Forecast }) => {
  const box = (id: string, label: string, end: Forecast['conservative']) => (
    <div id={id} class="score-box">
      <span class="muted">{label}</span>
      <strong data-total={n2(end.total)}>{n2(end.total)}</strong>
      <span>
        {end.label} ({end.grade}) · OIT {n2(end.oit)} · ผ่าน {end.passingItems} ข้อ
      </span>
    </div>
  );
  const basis = `IIT ${n2(forecast.surveys.iit)} + EIT ${n2(forecast.surveys.eit)}${
    forecast.surveys.source === 'previous'
      ? ` (ใช้ผลปี ${forecast.surveys.fromFiscalYear} จนกว่าจะมีผลปีนี้)`
      : forecast.surveys.source === 'none'
        ? ' (ยังไม่มีผล IIT/EIT)'
        : ''
  }`;
  return (
    <section class="card" id="forecast" aria-labelledby="forecast-heading">
      <h2 id="forecast-heading">คะแนนคาดการณ์ปีนี้</h2>
      <div class="score">
        {box('forecast-conservative', 'ประมาณการขั้นต่ำ (นับเฉพาะที่อนุมัติแล้ว)', forecast.conservative)}
        {box('forecast-optimistic', 'ประมาณการขั้นสูง (ส่งแล้ว + อนุมัติแล้ว)', forecast.optimistic)}
      </div>
      <p class="muted">{basis}</p>
      <ul id="targets">
        {forecast.conservative.targets.map((t) => (
          <li key={t.target} data-target={String(t.target)}>
            เป้าหมาย {t.target} คะแนน:{' '}
            {t.itemsNeeded === 0
              ? 'ถึงแล้ว'
              : t.itemsNeeded === null
                ? `OIT อย่างเดียวไม่พอ (สูงสุดที่เป็นไปได้ ${n2(forecast.ceiling)})`
                : `ต้องผ่าน OIT เพิ่มอีก ${t.itemsNeeded} ข้อ: ${t.items.join(', ')}`}
          </li>
        ))}
      </ul>
    </section>
  );
};

const BehindCard = ({ progress }: { progress: Progress }) => {
  const late = progress.agencies.filter((r) => r.state === 'behind' || r.state === 'overdue');
  return (
    <section class="card" id="behind" aria-labelledby="dash-behind-heading">
      <h2 id="dash-behind-heading">สิ่งที่ล่าช้า</h2>
      {late.length === 0 && <p>ไม่มีหน่วยงานที่ล่าช้า</p>}
      {late.map((row) => (
        <details key={row.agencyId} class="agency" data-behind={row.agencyId}>
          <summary>
            {row.nameTh} <Badge kind={row.state}>{PACE_STATE[row.state] ?? row.state}</Badge> (
            {row.findings.length} เรื่อง)
          </summary>
          <ul>
            {row.findings.map((f, index) => (
              <li key={`${f.what}-${index}`}>{findingLine(f, progress.date)}</li>
            ))}
          </ul>
        </details>
      ))}
    </section>
  );
};

/**
 * Dead evidence links by agency: the links NACC's evaluators would find broken, each with its item,
 * since when and why, so the secretariat can chase the agency (or its parent department's web team)
 * long before May.
 */
const DeadLinksCard = ({ list }: { list: LinkList }) => (
  <section class="card" id="dead-links" aria-labelledby="dead-links-heading">
    <h2 id="dead-links-heading">ลิงก์หลักฐานที่เสีย ({list.total} ลิงก์)</h2>
    {list.total === 0 ? (
      <p id="dead-links-none">ไม่มีลิงก์เสีย</p>
    ) : (
      <p class="muted">ลิงก์ที่ระบบเปิดไม่ได้ติดต่อกันเกิน 24 ชั่วโมง ผู้ประเมินของ ป.ป.ช. จะเปิดไม่ได้เช่นกัน</p>
    )}
    {list.agencies.map((agency) => (
      <details key={agency.agencyId} class="agency" open data-dead-agency={agency.agencyId}>
        <summary>
          {agency.agencyName} ({agency.links.length} ลิงก์)
        </summary>
        <ul class="links">
          {agency.links.map((link) => (
            <li key={`${link.itemId}-${link.url}`} data-dead-link={link.url}>
              <strong>
                ข้อ {link.itemId} {link.itemNameTh}
              </strong>{' '}
              <LinkStateBadge state={link.state} />
              <br />
              <a href={link.url} target="_blank" rel="noopener noreferrer">
                {link.url}
              </a>
              <br />
              <span class="muted">
                {link.deadSince ? `เสียตั้งแต่ ${thaiDateTime(link.deadSince)}` : ''}
                {link.errorTh ? ` · ${link.errorTh}` : ''}
                {link.status ? ` (รหัสตอบกลับ ${link.status})` : ''}
              </span>
            </li>
          ))}
        </ul>
      </details>
    ))}
  </section>
);

const AgenciesCard = ({ rows }: { rows: ProgressRow[] }) => (
  <section class="card" id="agencies" aria-labelledby="agencies-heading">
    <h2 id="agencies-heading">ความก้าวหน้ารายหน่วยงาน (OIT / IIT / EIT)</h2>
    {rows.map((r) => (
      <div class="agency" id={`agency-${r.agencyId}`} key={r.agencyId} data-agency={r.agencyId}>
        <h3>
          <span>{r.nameTh}</span>
          <Badge kind={r.state}>{PACE_STATE[r.state] ?? r.state}</Badge>
        </h3>
        <Bar name={`${r.agencyId}-oit`} label="OIT" done={r.oit.done} total={r.oit.assigned} />
        <Bar
          name={`${r.agencyId}-iit`}
          label="IIT"
          done={r.surveys.iit.responses}
          total={r.surveys.iit.required}
        />
        <Bar
          name={`${r.agencyId}-eit`}
          label="EIT"
          done={r.surveys.eit.responses}
          total={r.surveys.eit.required}
        />
        <p class="muted">งานพัฒนาที่ยังไม่เสร็จ {r.openTasks} งาน</p>
      </div>
    ))}
  </section>
);

const COLORS: Record<string, string> = {
  survey_collection: '#2f6fb3',
  oit_publishing: '#1f8a4c',
  oit_approval: '#6a3fb3',
  monitoring: '#6b7585',
  informational: '#5b8fc0',
};

const Timeline = ({ milestones, today }: { milestones: Milestone[]; today: string }) => {
  if (milestones.length === 0) return null;
  const first = milestones.reduce(
    (m, x) => (x.window.start < m ? x.window.start : m),
    milestones[0]!.window.start,
  );
  const last = milestones.reduce((m, x) => (x.window.end > m ? x.window.end : m), milestones[0]!.window.end);
  const months: [number, number][] = [];
  for (let y = Number(first.slice(0, 4)), m = Number(first.slice(5, 7)); ; ) {
    months.push([y, m]);
    if (y > Number(last.slice(0, 4)) || (y === Number(last.slice(0, 4)) && m >= Number(last.slice(5, 7))))
      break;
    if (m === 12) {
      y += 1;
      m = 1;
    } else m += 1;
  }
  const start = day(`${first.slice(0, 8)}01`);
  const [ly, lm] = months[months.length - 1]!;
  const end = Date.UTC(ly, lm, 1) / 86_400_000;
  const left = 250;
  const width = 980;
  const row = 24;
  const top = 30;
  const height = top + milestones.length * row + 10;
  const x = (d: number) => left + ((d - start) / (end - start)) * (width - left - 8);
  const t = day(today);
  return (
    <section class="card" id="timeline" aria-labelledby="timeline-heading">
      <h2 id="timeline-heading">ปฏิทินการขับเคลื่อน</h2>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: wider than a phone, the timeline scrolls sideways; focus lets a keyboard scroll it (axe: scrollable-region-focusable) */}
      <section class="scroll" id="timeline-body" tabIndex={0} aria-label="ปฏิทินการขับเคลื่อน (เลื่อนซ้าย–ขวาได้)">
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-label="ปฏิทินการขับเคลื่อน"
        >
          {months.map(([y, m]) => {
            const s = Date.UTC(y, m - 1, 1) / 86_400_000;
            const e = Date.UTC(y, m, 1) / 86_400_000;
            return (
              <g key={`${y}-${m}`}>
                <rect
                  x={x(s)}
                  y={0}
                  width={x(e) - x(s)}
                  height={height}
                  fill={m % 2 ? '#f7f9fc' : '#eef2f7'}
                />
                <text x={(x(s) + x(e)) / 2} y={18} text-anchor="middle" font-size={12} fill="#1d2733">
                  {thaiMonthName(m, 'abbr')} {String(y + 543).slice(2)}
                </text>
              </g>
            );
          })}
          {milestones.map((ms, i) => {
            const yy = top + i * row;
            const label = `${ms.number}. ${ms.title}`;
            return (
              <g key={ms.number}>
                <text x={4} y={yy + 15} font-size={11.5} fill="#1d2733">
                  {label.length > 40 ? `${label.slice(0, 39)}…` : label}
                  <title>{`${label} (${ms.windowTh})`}</title>
                </text>
                <rect
                  x={x(day(ms.window.start))}
                  y={yy + 4}
                  width={Math.max(3, x(day(ms.window.end) + 1) - x(day(ms.window.start)))}
                  height={row - 8}
                  rx={3}
                  fill={COLORS[ms.tracks] ?? '#5b8fc0'}
                  data-milestone={ms.number}
                >
                  <title>{`${label} (${ms.windowTh})`}</title>
                </rect>
              </g>
            );
          })}
          {t >= start && t < end && (
            <g>
              <line
                id="today-line"
                x1={x(t)}
                x2={x(t)}
                y1={22}
                y2={height}
                stroke="#c62828"
                stroke-width={2}
              />
              <text x={x(t) + 3} y={height - 4} font-size={11} fill="#b71c1c">
                วันนี้
              </text>
            </g>
          )}
        </svg>
      </section>
    </section>
  );
};

const PaceChart = ({ tool, ms, progress }: { tool: 'iit' | 'eit'; ms: Milestone; progress: Progress }) => {
  const w = 460;
  const h = 230;
  const l = 40;
  const r = 12;
  const t = 14;
  const b = 34;
  const s = day(ms.window.start);
  const e = day(ms.window.end);
  const today = day(progress.date);
  const x = (d: number) => l + ((Math.min(Math.max(d, s), e) - s) / (e - s)) * (w - l - r);
  const y = (p: number) => h - b - (Math.min(p, 110) / 110) * (h - t - b);
  const pct = (a: number, total: number) => (total > 0 ? Math.min(100, (a / total) * 100) : 100);
  return (
    <figure>
      <svg
        width={w}
        height={h}
        viewBox={`0 0 ${w} ${h}`}
        role="img"
        aria-label={`ความก้าวหน้า ${tool.toUpperCase()}`}
        data-pace={tool}
      >
        {[0, 25, 50, 75, 100].map((p) => (
          <g key={p}>
            <line x1={l} x2={w - r} y1={y(p)} y2={y(p)} stroke="#e3e8ee" />
            <text x={l - 4} y={y(p) + 4} text-anchor="end" font-size={10} fill="#4a5563">
              {p}%
            </text>
          </g>
        ))}
        <line
          x1={x(s)}
          y1={y(0)}
          x2={x(e)}
          y2={y(100)}
          stroke="#6b7585"
          stroke-width={2}
          stroke-dasharray="6 4"
        />
        <text x={x(s)} y={h - 14} font-size={10} fill="#4a5563">
          {thaiDate(ms.window.start)}
        </text>
        <text x={w - r} y={h - 14} text-anchor="end" font-size={10} fill="#4a5563">
          {thaiDate(ms.window.end)}
        </text>
        {today >= s && today <= e && <line x1={x(today)} x2={x(today)} y1={t} y2={h - b} stroke="#c62828" />}
        {progress.agencies.map((a, i) => {
          const sv = a.surveys[tool];
          const when = sv.asOf ? day(sv.asOf) : Math.min(today, e);
          const p = pct(sv.responses, sv.required);
          const expected = ((Math.min(Math.max(when, s), e) - s) / (e - s)) * 100;
          return (
            <circle
              key={a.agencyId}
              cx={x(when) + (i % 3) * 3}
              cy={y(p)}
              r={5}
              fill={p + 0.001 >= expected * 0.9 ? '#1f8a4c' : '#b35f00'}
              stroke="#fff"
            >
              <title>{`${a.nameTh}: ${sv.responses}/${sv.required}`}</title>
            </circle>
          );
        })}
      </svg>
      <figcaption class="muted">
        {tool.toUpperCase()}: จุดแต่ละหน่วยงาน (% ของจำนวนขั้นต่ำ) เทียบเส้นประที่ควรเป็น
      </figcaption>
    </figure>
  );
};

const PaceCard = ({ milestones, progress }: { milestones: Milestone[]; progress: Progress }) => {
  const ms = milestones.find((m) => m.tracks === 'survey_collection');
  return (
    <section class="card" id="pace" aria-labelledby="pace-heading">
      <h2 id="pace-heading">การเก็บแบบวัด IIT และ EIT เทียบกับแผน</h2>
      {ms ? (
        <div class="score">
          <PaceChart tool="iit" ms={ms} progress={progress} />
          <PaceChart tool="eit" ms={ms} progress={progress} />
        </div>
      ) : (
        <p>แผนไม่มีช่วงเก็บแบบวัด IIT/EIT</p>
      )}
    </section>
  );
};
