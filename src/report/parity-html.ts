import { groupDigits } from '../ir/digits.js';
/**
 * The HTML reports: `blazeface parity --html` (one model's ONNX conversion) and `convert --html`
 * (every artifact a conversion wrote). One self-contained page each: inline CSS, SVG plots and
 * pictures as data: URIs, no script, nothing fetched, so it can be attached to an issue or
 * opened offline. Pure: data in, text out.
 */

/** One output of one golden case, as `parity --json` reports it. */
export interface HtmlParityRow {
  readonly case: string;
  readonly output: string;
  /** max |a-b|/(1+|b|); null when infinite. */
  readonly maxError: number | null;
  readonly worstIndex: number;
  readonly actual: number;
  readonly expected: number;
  readonly bound: number;
  readonly ok: boolean;
}

/** One artifact's parity rows, run on one runtime. */
export interface HtmlParityTable {
  readonly artifact: string;
  readonly runtime: string;
  readonly rows: readonly HtmlParityRow[];
}

export interface HtmlHistogram {
  /** What the bars count, e.g. `1face regressors`. */
  readonly label: string;
  /** From errorHistogram. */
  readonly histogram: ErrorHistogram;
}

export interface HtmlLayerRow {
  readonly node: string;
  readonly op: string;
  readonly shape: readonly number[];
  readonly maxError: number;
}

/** A file `convert` wrote. */
export interface HtmlArtifactFile {
  readonly path: string;
  readonly bytes: number;
  readonly sha256: string;
}

export interface HtmlArtifact {
  readonly format: string;
  readonly name: string;
  readonly files: readonly HtmlArtifactFile[];
}

/** One runtime's picture of one golden image. */
export interface HtmlPicturePanel {
  readonly runtime: string;
  /** An encoded picture (JPEG or PNG); absent when the runtime did not run on this case. */
  readonly image?: { readonly mime: 'image/jpeg' | 'image/png' | 'image/webp'; readonly base64: string };
  readonly caption: string;
  /**
   * Against the reference column (TFLite), absent for the reference itself: whether as many
   * detections were found, and the largest distance in pixels over the `matched` pairs.
   */
  readonly difference?: { readonly sameCount: boolean; readonly matched: number; readonly maxPixels: number };
}

export interface HtmlPictureCase {
  readonly case: string;
  readonly description: string;
  /** One per runtime, in the order of HtmlPictures.runtimes. */
  readonly panels: readonly HtmlPicturePanel[];
}

export interface HtmlPictures {
  /** Column heads; the last is the reference. */
  readonly runtimes: readonly string[];
  /** What the pictures show, or why there are none. */
  readonly note: string;
  /** The keypoint colours of the pictures, named once for all of them. */
  readonly legend?: readonly { readonly name: string; readonly color: string }[];
  readonly cases: readonly HtmlPictureCase[];
}

export interface HtmlParityReport {
  readonly title: string;
  readonly model: { readonly id: string; readonly file: string; readonly sha256: string };
  /** What `convert` wrote; absent for `parity`. */
  readonly artifacts?: readonly HtmlArtifact[];
  readonly tables: readonly HtmlParityTable[];
  readonly histograms: readonly HtmlHistogram[];
  readonly layers?: {
    readonly case: string;
    readonly tolerance: number;
    readonly rows: readonly HtmlLayerRow[];
    /** The node name of the first row above the tolerance. */
    readonly firstDivergence?: string;
  };
  readonly pictures?: HtmlPictures;
  /** The `skipped:` lines of the run: checks that could not be made here. */
  readonly skipped?: readonly string[];
}

/**
 * Element errors |a-b|/(1+|b|) counted per decade: bin 0 holds exact matches, bin k (1..)
 * holds errors in [10^(FLOOR+k-1), 10^(FLOOR+k)), the last bin everything from 10^CEIL up,
 * NaN and length mismatches included.
 */
export interface ErrorHistogram {
  readonly floorExponent: number;
  readonly counts: readonly number[];
}

const FLOOR = -12;
const CEIL = 0;

export function errorHistogram(actual: ArrayLike<number>, expected: ArrayLike<number>): ErrorHistogram {
  const counts = new Array<number>(CEIL - FLOOR + 2).fill(0);
  const n = Math.max(actual.length, expected.length);
  for (let i = 0; i < n; i++) {
    const a = actual[i];
    const b = expected[i];
    const error = a === undefined || b === undefined ? Infinity : Math.abs(a - b) / (1 + Math.abs(b));
    if (error === 0) counts[0]!++;
    else if (!(error < 10 ** CEIL)) counts[counts.length - 1]!++;
    else counts[Math.min(counts.length - 2, Math.max(1, Math.floor(Math.log10(error)) - FLOOR + 1))]!++;
  }
  return { floorExponent: FLOOR, counts };
}

/** Bin counts of several histograms added up (they share the bins of errorHistogram). */
export function mergeHistograms(histograms: readonly ErrorHistogram[]): ErrorHistogram {
  const counts = new Array<number>(CEIL - FLOOR + 2).fill(0);
  for (const h of histograms) h.counts.forEach((count, i) => (counts[i]! += count));
  return { floorExponent: FLOOR, counts };
}

export function parityHtml(report: HtmlParityReport): string {
  const ok = report.tables.every((t) => t.rows.every((r) => r.ok)) && report.layers?.firstDivergence === undefined;
  const runtimes = [...new Set(report.tables.map((t) => t.runtime))];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(report.title)}</title>
<link rel="icon" href="data:,">
<style>
body { font: 14px/1.4 system-ui, sans-serif; margin: 1.5em; color: #222; max-width: 1300px; }
table { border-collapse: collapse; margin: .5em 0 1.5em; }
th, td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: right; font-variant-numeric: tabular-nums; }
th:first-child, td:first-child, td.l, th.l { text-align: left; }
.ok { color: #080; } .fail { color: #c00; font-weight: bold; }
.hists { display: flex; flex-wrap: wrap; gap: 1em; }
svg text { font: 11px system-ui, sans-serif; fill: #333; }
table.pictures td { vertical-align: top; text-align: left; border-bottom: 1px solid #ccc; padding: 6px 8px; }
table.pictures img { display: block; width: 256px; height: auto; image-rendering: pixelated; }
table.pictures figure { margin: 0; }
table.pictures figcaption { font-size: 12px; max-width: 256px; }
code { font-size: 12px; }
.legend span { text-shadow: 0 0 1px #000; font-size: 16px; }
</style>
</head>
<body>
<h1>${esc(report.title)}</h1>
<p>${esc(report.model.file)} (sha256 <code>${esc(report.model.sha256)}</code>)${runtimes.length === 1 ? `, run on ${esc(runtimes[0]!)}` : ''}.
Error measure: max |a−b|/(1+|b|) against the TFLite runtime's golden outputs.
Verdict: <span class="${ok ? 'ok' : 'fail'}">${ok ? 'every output within its bound' : 'FAILED'}</span></p>
${report.skipped && report.skipped.length > 0 ? `<p>Not checked here:</p>\n<ul>${report.skipped.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>` : ''}
${report.artifacts ? `<h2>Files written</h2>\n${artifactTable(report.artifacts)}` : ''}
${report.tables.map((t) => `<h2>${esc(t.artifact)} on ${esc(t.runtime)}</h2>\n${outputTable(t.rows)}`).join('\n')}
${report.pictures ? `<h2>${report.pictures.cases.length > 0 ? 'On the golden images' : 'Pictures'}</h2>\n${picturesHtml(report.pictures)}` : ''}
${report.layers ? `<h2>Per layer (${esc(report.layers.case)})</h2>\n${layerPlot(report.layers)}` : ''}
${report.histograms.length > 0 ? `<h2>Error histograms</h2>\n<p>Elements per decade of |a−b|/(1+|b|), each bar labelled by its lower edge; “0” counts exact matches.</p>\n<div class="hists">${report.histograms.map(histogramSvg).join('\n')}</div>` : ''}
</body>
</html>
`;
}

/** Folders of more files than this are listed folded, under one line with their total. */
const FOLDED_FILES = 4;

function artifactTable(artifacts: readonly HtmlArtifact[]): string {
  const fileRow = (format: string, f: HtmlArtifactFile): string =>
    `<tr><td class="l">${esc(format)}</td><td class="l"><code>${esc(f.path)}</code></td><td>${groupDigits(f.bytes)}</td><td class="l"><code>${esc(f.sha256)}</code></td></tr>`;
  const body = artifacts
    .map((a) => {
      if (a.files.length <= FOLDED_FILES) return a.files.map((f) => fileRow(a.format, f)).join('\n');
      const total = a.files.reduce((sum, f) => sum + f.bytes, 0);
      const list = `<table>${a.files.map((f) => fileRow(a.format, f)).join('\n')}</table>`;
      return `<tr><td class="l">${esc(a.format)}</td><td class="l" colspan="3"><details><summary><code>${esc(a.name)}</code>: ${a.files.length} files, ${groupDigits(total)} bytes in all</summary>\n${list}</details></td></tr>`;
    })
    .join('\n');
  return `<table class="artifacts"><thead><tr><th>format</th><th class="l">file</th><th>bytes</th><th class="l">sha256</th></tr></thead>\n<tbody>${body}</tbody></table>`;
}

function versusTflite(d: NonNullable<HtmlPicturePanel['difference']>): string {
  const distance = d.matched > 0 ? `, max ${d.maxPixels.toExponential(1)} px${d.sameCount ? '' : ' on the common ones'}` : '';
  return `<span class="${d.sameCount ? 'ok' : 'fail'}">vs TFLite: ${d.sameCount ? 'same count' : 'count differs'}${distance}</span>`;
}

/** One row per golden image, one column per runtime, the reference last. */
function picturesHtml(pictures: HtmlPictures): string {
  if (pictures.cases.length === 0) return `<p>${esc(pictures.note)}</p>`;
  const head = `<tr><th class="l">image</th>${pictures.runtimes.map((r) => `<th class="l">${esc(r)}</th>`).join('')}</tr>`;
  const rows = pictures.cases.map((c) => {
    const cells = c.panels.map((p) => {
      const versus = p.difference ? `<br>${versusTflite(p.difference)}` : '';
      const picture = p.image ? `<img src="data:${p.image.mime};base64,${p.image.base64}" alt="${esc(`${c.case}, ${p.runtime}: ${p.caption}`)}">` : '';
      return `<td><figure>${picture}<figcaption>${esc(p.caption)}${versus}</figcaption></figure></td>`;
    });
    return `<tr><td class="l"><b>${esc(c.case)}</b><br><small>${esc(c.description)}</small></td>${cells.join('')}</tr>`;
  });
  const legend = pictures.legend
    ? `<p class="legend">Box and score in green; keypoints: ${pictures.legend.map((k) => `<span style="color:${esc(k.color)}">●</span>&nbsp;${esc(k.name)}`).join(' ')}</p>\n`
    : '';
  return `<p>${esc(pictures.note)}</p>\n${legend}<table class="pictures"><thead>${head}</thead>\n<tbody>${rows.join('\n')}</tbody></table>`;
}

function outputTable(rows: readonly HtmlParityRow[]): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td class="l">${esc(r.case)}</td><td class="l">${esc(r.output)}</td><td>${r.maxError === null ? '∞' : r.maxError.toExponential(2)}</td>` +
        `<td>${r.worstIndex}</td><td>${fmt(r.actual)}</td><td>${fmt(r.expected)}</td><td>${r.bound.toExponential(0)}</td>` +
        `<td class="${r.ok ? 'ok' : 'fail'}">${r.ok ? 'ok' : 'FAIL'}</td></tr>`,
    )
    .join('\n');
  return `<table><thead><tr><th>case</th><th>output</th><th>max error</th><th>worst index</th><th>got</th><th>expected</th><th>bound</th><th></th></tr></thead>\n<tbody>${body}</tbody></table>`;
}

/** Max error per layer in graph order on a log scale; the tolerance as a dashed line, the first divergence in red. */
function layerPlot(layers: NonNullable<HtmlParityReport['layers']>): string {
  const { rows, tolerance, firstDivergence } = layers;
  const width = 1000;
  const height = 320;
  const left = 60;
  const right = 20;
  const top = 20;
  const bottom = 40;
  const low = FLOOR;
  const errors = rows.map((r) => r.maxError);
  const high = Math.max(CEIL, Math.ceil(Math.log10(Math.max(...errors.filter(Number.isFinite), tolerance))));
  const x = (i: number): number => left + (rows.length <= 1 ? 0 : (i * (width - left - right)) / (rows.length - 1));
  const y = (error: number): number => {
    const e = !Number.isFinite(error) ? high : error <= 10 ** low ? low : Math.log10(error);
    return top + ((high - e) * (height - top - bottom)) / (high - low);
  };
  const grid: string[] = [];
  for (let e = low; e <= high; e += 2) {
    grid.push(`<line x1="${left}" x2="${width - right}" y1="${y(10 ** e)}" y2="${y(10 ** e)}" stroke="#eee"/>`);
    grid.push(`<text x="${left - 6}" y="${y(10 ** e) + 4}" text-anchor="end">1e${e}</text>`);
  }
  const points = rows.map((r, i) => `${x(i).toFixed(1)},${y(r.maxError).toFixed(1)}`).join(' ');
  const dots = rows
    .map(
      (r, i) =>
        `<circle cx="${x(i).toFixed(1)}" cy="${y(r.maxError).toFixed(1)}" r="2.5" fill="${r.maxError <= tolerance ? '#1565c0' : '#c00'}"><title>${esc(`${i}: ${r.node} (${r.op}) [${r.shape.join(',')}] ${r.maxError.toExponential(2)}`)}</title></circle>`,
    )
    .join('');
  const marked = firstDivergence === undefined ? -1 : rows.findIndex((r) => r.node === firstDivergence);
  const marker =
    marked < 0
      ? ''
      : `<line class="divergence" x1="${x(marked)}" x2="${x(marked)}" y1="${top}" y2="${height - bottom}" stroke="#c00" stroke-width="2"/>` +
        `<text x="${x(marked) + 4}" y="${top + 12}" fill="#c00">first divergence: ${esc(rows[marked]!.node)} (${esc(rows[marked]!.op)})</text>`;
  const svg = `<svg class="layers" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
${grid.join('')}
<line x1="${left}" x2="${width - right}" y1="${y(tolerance)}" y2="${y(tolerance)}" stroke="#c00" stroke-dasharray="5,4"/>
<text x="${width - right}" y="${y(tolerance) - 4}" text-anchor="end" fill="#c00">tolerance ${tolerance.toExponential(0)}</text>
<polyline points="${points}" fill="none" stroke="#1565c0" stroke-width="1.5"/>${dots}${marker}
<text x="${(left + width - right) / 2}" y="${height - 8}" text-anchor="middle">layer (graph order, ${rows.length} values; errors ≤ 1e${low} drawn at 1e${low})</text>
</svg>`;
  const verdict =
    marked < 0
      ? `<p class="ok">No layer exceeds the tolerance ${tolerance.toExponential(0)}.</p>`
      : `<p class="fail">First divergence at layer ${marked}: ${esc(rows[marked]!.node)} (${esc(rows[marked]!.op)}), error ${rows[marked]!.maxError.toExponential(2)}.</p>`;
  return `${svg}\n${verdict}`;
}

function histogramSvg(h: HtmlHistogram): string {
  const { counts, floorExponent } = h.histogram;
  const width = 340;
  const height = 180;
  const left = 10;
  const bottom = 34;
  const top = 24;
  const bar = (width - 2 * left) / counts.length;
  const most = Math.max(1, ...counts);
  const bars = counts
    .map((count, i) => {
      const label = i === 0 ? '0' : i === counts.length - 1 ? `≥1e${floorExponent + i - 1}` : `1e${floorExponent + i - 1}`;
      const barHeight = (count / most) * (height - top - bottom);
      const bx = left + i * bar;
      return (
        `<rect x="${bx.toFixed(1)}" y="${(height - bottom - barHeight).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${barHeight.toFixed(1)}" fill="${i === counts.length - 1 && count > 0 ? '#c00' : '#1565c0'}"><title>${esc(`${label}: ${count}`)}</title></rect>` +
        (i % 2 === 0 ? `<text x="${(bx + bar / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle">${label}</text>` : '')
      );
    })
    .join('');
  return `<svg class="histogram" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">
<text x="${left}" y="14">${esc(h.label)} (${groupDigits(counts.reduce((a, b) => a + b, 0))} values)</text>${bars}
</svg>`;
}

function fmt(value: number): string {
  return Number.isFinite(value) ? value.toPrecision(7) : String(value);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
