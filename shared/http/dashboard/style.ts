/** The dashboard's stylesheet, inlined (CSP allows exactly this block by its hash). System Thai fonts only. */
export const DASHBOARD_CSS = `
:root { --ink: #1d2733; --muted: #5b6675; --line: #d8dee6; --bg: #f5f7fa; --card: #fff;
  --ok: #1f8a4c; --warn: #c77700; --bad: #c62828; --bar: #2f6fb3; --expected: #8a94a3; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "Noto Sans Thai", "Sarabun", "Leelawadee UI", Loma, Garuda, Tahoma, sans-serif;
  color: var(--ink); background: var(--bg); line-height: 1.5; font-size: 15px; }
header { background: #123a63; color: #fff; padding: 12px 16px; }
header h1 { font-size: 1.15rem; margin: 0; }
header p { margin: 2px 0 0; font-size: .9rem; opacity: .9; }
header .link { color: #fff; }
#status:empty { display: none; }
main { padding: 12px; max-width: 1200px; margin: 0 auto; }
.grid { display: grid; gap: 12px; grid-template-columns: repeat(auto-fit, minmax(min(100%, 520px), 1fr)); }
.grid.hidden { display: none; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 14px; min-width: 0; }
section.wide { grid-column: 1 / -1; }
h2 { font-size: 1.02rem; margin: 0 0 8px; }
form { display: flex; gap: 8px; flex-wrap: wrap; align-items: center; }
input[type=password] { flex: 1 1 220px; padding: 8px; border: 1px solid var(--line); border-radius: 6px; font: inherit; }
button { padding: 8px 14px; border: 0; border-radius: 6px; background: #123a63; color: #fff; font: inherit; cursor: pointer; }
button.link { background: none; color: #123a63; padding: 4px 0; text-decoration: underline; }
.muted { color: var(--muted); font-size: .88rem; }
.error { color: var(--bad); }
.hidden { display: none; }
.score { display: flex; gap: 12px; flex-wrap: wrap; }
.score div { flex: 1 1 150px; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; }
.score strong { display: block; font-size: 1.6rem; }
ul { margin: 6px 0; padding-left: 20px; }
.agency { border-top: 1px solid var(--line); padding: 8px 0; }
.agency:first-of-type { border-top: 0; }
.agency h3 { font-size: .95rem; margin: 0 0 4px; display: flex; justify-content: space-between; gap: 8px; }
.badge { font-size: .78rem; border-radius: 10px; padding: 1px 8px; white-space: nowrap; color: #fff; background: var(--muted); }
.badge.on-track, .badge.complete { background: var(--ok); }
.badge.behind { background: var(--warn); }
.badge.overdue { background: var(--bad); }
.bar { display: grid; grid-template-columns: 44px 1fr 86px; gap: 6px; align-items: center; font-size: .85rem; }
.track { background: #e6ebf1; border-radius: 4px; height: 12px; overflow: hidden; }
.fill { background: var(--bar); height: 100%; width: 0; }
.fill.low { background: var(--warn); }
.num { text-align: right; font-variant-numeric: tabular-nums; }
.scroll { overflow-x: auto; }
svg { display: block; max-width: 100%; height: auto; }
.scroll svg { max-width: none; }
figure { margin: 0; flex: 1 1 300px; }
svg text { font-family: inherit; }
`;
