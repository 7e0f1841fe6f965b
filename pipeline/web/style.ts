// The page's stylesheet, from the same theme as the PDF and the deck: its colours
// and its faces (embedded by fonts.ts, each with a system stack after it). One
// column everywhere; a measure of about 70 characters on a wide screen; tables
// and charts scroll or scale inside their own box, so a 360 px phone never
// scrolls sideways; a print stylesheet of its own.
import type { Theme } from '../core/theme.ts';
import { SANS_FAMILY, SERIF_FAMILY } from './fonts.ts';

export function pageCss(theme: Theme): string {
  const c = theme.colors;
  const serif = `"${SERIF_FAMILY}","Times New Roman",Times,"Liberation Serif",serif`;
  const sans = `"${SANS_FAMILY}",Arial,Helvetica,"Liberation Sans",sans-serif`;
  return `
:root{--brand:${c.brand};--brand-light:${c.brandLight};--box:${c.boxFill};--accent:${c.accent};--text:${c.text};--muted:${c.muted};--rule:${c.rule};--link:${c.link};--serif:${serif};--sans:${sans}}
*,*::before,*::after{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;color:var(--text);background:#fff;font:1.125rem/1.55 var(--serif);overflow-wrap:break-word}
a{color:var(--link);overflow-wrap:anywhere}
a:focus-visible{outline:2px solid var(--accent);outline-offset:2px}
.page{max-width:calc(70ch + 2rem);margin:0 auto;padding:0 1rem 2rem}
.masthead{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:center;gap:.25rem 1rem;margin:0 -1rem;padding:.75rem 1rem;background:var(--brand);color:#fff;font-family:var(--sans)}
.masthead .publisher{margin:0;font-size:1.35rem;font-weight:700;line-height:1.2}
.masthead .tagline{display:block;font-size:.8rem;font-weight:400;color:var(--brand-light)}
.masthead .series{margin:0;font-size:1.1rem;letter-spacing:.04em}
.dateline{margin:.75rem 0 0;font:.95rem/1.4 var(--sans);color:var(--muted)}
h1,h2,h3{font-family:var(--sans);line-height:1.25;color:var(--brand)}
h1{font-size:1.9rem;margin:.35rem 0 .5rem;padding-bottom:.5rem;border-bottom:3px solid var(--accent)}
h2{font-size:1.3rem;margin:2rem 0 .5rem;padding-bottom:.2rem;border-bottom:1px solid var(--rule)}
h3{font-size:1.1rem;margin:1.5rem 0 .4rem;color:var(--text)}
.authors{list-style:none;margin:.75rem 0;padding:0;font:.95rem/1.4 var(--sans)}
.authors li{margin:.15rem 0}
.formats{margin:.75rem 0 1rem;font:.95rem/1.4 var(--sans)}
.formats ul{display:inline;margin:0;padding:0;list-style:none}
.formats li{display:inline}
.formats li+li::before{content:" · "}
nav.contents{font:.95rem/1.4 var(--sans);margin:1rem 0;padding:.5rem 1rem;border-left:3px solid var(--brand-light)}
nav.contents h2{font-size:1rem;border:0;margin:.25rem 0;padding:0}
nav.contents ol{margin:.25rem 0;padding-left:1.25rem}
p,ul,ol{margin:0 0 .8rem}
li{margin:.2rem 0}
sup{font-size:.7em;line-height:0}
figure{margin:1.5rem 0;padding:0}
figcaption,.table-exhibit caption,.textbox-title{font:700 1rem/1.35 var(--sans);color:var(--text)}
.subtitle{display:block;font-weight:400;font-size:.9rem;color:var(--muted)}
.chart{margin:.5rem 0}
.chart svg{display:block;width:100%;max-width:36rem;height:auto}
.picture img{display:block;max-width:100%;height:auto}
.apparatus{margin-top:.4rem;font:.85rem/1.4 var(--sans);color:var(--muted)}
.apparatus p{margin:0 0 .2rem}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font:.9rem/1.35 var(--sans);margin:0}
caption{text-align:left;padding-bottom:.4rem;position:sticky;left:0;max-width:calc(100vw - 2rem)}
thead th{border-top:2px solid var(--brand);border-bottom:1px solid var(--rule);vertical-align:bottom}
tbody tr:last-child>*{border-bottom:2px solid var(--brand)}
th,td{padding:.25rem .5rem;text-align:left;vertical-align:top}
tbody th{font-weight:400}
.num{text-align:right;font-variant-numeric:tabular-nums}
.center{text-align:center}
tr.total>*{font-weight:700;border-top:1px solid var(--rule)}
.table-exhibit{margin:1.5rem 0}
details{margin:.5rem 0;font-family:var(--sans)}
summary{cursor:pointer;color:var(--link);font-size:.9rem}
details table{margin-top:.5rem}
aside.textbox{margin:1.5rem 0;padding:.75rem 1rem;background:var(--box);border-top:4px solid var(--brand)}
aside.textbox>:last-child{margin-bottom:0}
.textbox-title{margin:0 0 .4rem}
.related ul{padding-left:1.25rem}
footer.colophon{margin-top:2.5rem;padding-top:.75rem;border-top:1px solid var(--rule);font:.85rem/1.45 var(--sans);color:var(--muted)}
footer.colophon h2{font-size:1rem;margin:0 0 .3rem;border:0;color:var(--text)}
.product-line{margin-top:1rem;padding-top:.5rem;border-top:1px solid var(--rule)}
@media (max-width:30rem){body{font-size:1.0625rem}h1{font-size:1.55rem}.masthead .publisher{font-size:1.15rem}}
@media print{
@page{margin:16mm 14mm}
body{font-size:10.5pt;line-height:1.4}
.page{max-width:none;padding:0}
.masthead{margin:0;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.formats,nav.contents,details{display:none}
h1,h2,h3{break-after:avoid}
figure,.table-exhibit,aside.textbox,tr{break-inside:avoid}
aside.textbox{-webkit-print-color-adjust:exact;print-color-adjust:exact}
.scroll{overflow:visible}
a{color:inherit}
main a[href^="http"]::after,footer a[href^="http"]::after{content:" (" attr(href) ")";font-size:.85em;color:var(--muted)}
.chart svg{max-width:100%}
}
`.trim();
}
