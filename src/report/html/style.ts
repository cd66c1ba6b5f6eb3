/**
 * The report's only style sheet, inline: no fonts, images or scripts to fetch. Light and dark
 * schemes follow the reader's setting; colours pair dark text on a light tint (and the reverse)
 * for contrast, and print keeps the tints while dropping what only helps on screen.
 */
export const STYLE = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--mute:#59636e;--line:#d1d9e0;--head:#f6f8fa;--link:#0550ae;
--ok-bg:#dafbe1;--ok:#0f5323;--rej-bg:#fff4c2;--rej:#5c3d00;--mix-bg:#d6f4f7;--mix:#0b4a52;
--bad-bg:#ffe0dc;--bad:#8c0b1f;--inc-bg:#f6e3ff;--inc:#5f1f7a;--un-bg:#eef1f4;--un:#4b535c}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--mute:#9ea7b3;--line:#3d444d;--head:#161b22;--link:#79c0ff;
--ok-bg:#12361f;--ok:#8ee6a9;--rej-bg:#3a2d06;--rej:#f2cc60;--mix-bg:#0b3940;--mix:#8ee0ea;
--bad-bg:#4c1219;--bad:#ffb3ab;--inc-bg:#3a1d4d;--inc:#e8b6ff;--un-bg:#1c2128;--un:#a4adb8}}
*{box-sizing:border-box}
html{font-size:15px}
body{margin:0 auto;max-width:80rem;padding:1rem 1.25rem 3rem;background:var(--bg);color:var(--fg);
font:1rem/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif}
h1{font-size:1.45rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid var(--line);padding-bottom:.2rem}
h3{font-size:1.02rem;margin:1.2rem 0 .3rem}
a{color:var(--link)}code,.f dd,.d dd{overflow-wrap:anywhere}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.verdict{font-size:1.1rem;padding:.55rem .8rem;border-radius:6px;border:1px solid;margin:.4rem 0 .8rem}
.verdict.green{background:var(--ok-bg);color:var(--ok)}.verdict.red{background:var(--bad-bg);color:var(--bad)}
.verdict .counts{font-weight:normal}
.facts{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:0;color:var(--mute)}
.facts dt{font-weight:600}.facts dd{margin:0;color:var(--fg)}
nav ul{display:flex;flex-wrap:wrap;gap:.3rem 1rem;padding:0;margin:.8rem 0 0;list-style:none}
.scroll{overflow-x:auto}
table.grid{border-collapse:collapse;margin:.3rem 0;font-size:.9rem}
.grid caption{text-align:left;color:var(--mute);padding-bottom:.3rem;caption-side:top}
.grid th,.grid td{border:1px solid var(--line);padding:.25rem .5rem;text-align:left;vertical-align:top}
.grid thead th{background:var(--head);font-weight:600}.grid thead small{display:block;font-weight:normal;color:var(--mute)}
.grid tbody th{font-weight:600;white-space:nowrap;background:var(--head)}
.overview thead th{max-width:12rem;overflow-wrap:break-word}
td.m{white-space:nowrap;padding:0}td.m a,td.m>span{display:block;padding:.25rem .5rem;color:inherit;text-decoration:none}
td.m a:hover,td.m a:focus{text-decoration:underline}
td.m.sbs{white-space:normal;min-width:9rem;max-width:18rem}td.m.sbs .line{display:block}
.m.k-accepted{background:var(--ok-bg);color:var(--ok)}.m.k-rejected{background:var(--rej-bg);color:var(--rej)}
.m.k-mixed{background:var(--mix-bg);color:var(--mix)}.m.k-failed{background:var(--bad-bg);color:var(--bad);font-weight:700}
.m.k-inconclusive{background:var(--inc-bg);color:var(--inc);font-weight:700}.m.k-unrun,.m.k-empty{background:var(--un-bg);color:var(--un)}
span.m{padding:0 .35rem;border-radius:4px}
.sym{display:inline-block;min-width:1em;font-weight:700}
.legend{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;padding:0;list-style:none;color:var(--mute);font-size:.9rem}
.notes li{margin:.2rem 0}
.about{color:var(--mute);margin:0 0 .3rem}
article.cell{border:1px solid var(--line);border-left:4px solid var(--bad);border-radius:6px;padding:.2rem .8rem .5rem;margin:.6rem 0}
#inconclusive article.cell{border-left-color:var(--inc)}
article.cell h3{margin:.4rem 0}.to{font-size:.8rem;font-weight:normal}
details.all{margin:.4rem 0 1rem}details.all>summary{cursor:pointer;color:var(--link)}
details.cell{border-bottom:1px solid var(--line);padding:.15rem 0}details.cell>summary{cursor:pointer}
details.cell[open]{background:var(--head)}details.cell:has(:target){outline:2px solid var(--link)}
.anchor{display:block;scroll-margin-top:3rem}
dl.d{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .9rem;margin:.4rem 0 .4rem 1.2rem}
dl.d dt{font-weight:600;color:var(--mute)}dl.d dd{margin:0}dl dt{grid-column:1}dl dd{grid-column:2}
dl.f{display:grid;grid-template-columns:max-content 1fr;gap:0 .7rem;margin:.1rem 0 .3rem;font-size:.85rem;color:var(--mute)}
dl.f dd{margin:0;color:var(--fg);white-space:pre-wrap}
footer{margin-top:2.5rem;color:var(--mute);font-size:.85rem}
@media print{html{font-size:10pt}body{max-width:none;padding:0}nav,details.all,.to{display:none}
.m,.verdict{-webkit-print-color-adjust:exact;print-color-adjust:exact}
tr,article.cell{break-inside:avoid}h2,h3{break-after:avoid}a{color:inherit;text-decoration:none}}
`;
