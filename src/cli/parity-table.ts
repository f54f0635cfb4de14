import type { ParityRow } from '../check/onnx-parity.js';
import type { HtmlParityRow } from '../report/parity-html.js';

/** The parity table; each row is flagged against `bound(row)`, the artifact's measured bound. */
export function formatParityTable(rows: readonly ParityRow[], bound: (row: ParityRow) => number): string {
  const lines = ['  case      output           max |a-b|/(1+|b|)  worst index'];
  for (const r of rows) {
    const flag = r.maxError <= bound(r) ? 'ok' : `FAIL (bound ${bound(r)})`;
    lines.push(`  ${r.case.padEnd(9)} ${r.output.padEnd(16)} ${r.maxError.toExponential(2).padStart(17)}  ${String(r.worstIndex).padStart(11)}  ${flag}`);
  }
  return lines.join('\n');
}

/** One artifact's parity as `--json` prints it. */
export interface ParityJson {
  readonly artifact: string;
  readonly runtime: string;
  readonly rows: readonly HtmlParityRow[];
  readonly ok: boolean;
}

export function parityJson(artifact: string, runtime: string, rows: readonly ParityRow[], bound: (row: ParityRow) => number): ParityJson {
  const out = rows.map((r) => ({
    case: r.case,
    output: r.output,
    maxError: Number.isFinite(r.maxError) ? r.maxError : null,
    worstIndex: r.worstIndex,
    actual: r.actual,
    expected: r.expected,
    bound: bound(r),
    ok: r.maxError <= bound(r),
  }));
  return { artifact, runtime, rows: out, ok: out.every((r) => r.ok) };
}
