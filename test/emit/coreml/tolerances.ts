import { describeDifference } from '../../../src/check/compare.js';
import type { ParityRow } from '../../../src/check/onnx-parity.js';
export { coremlFloat32Bound as float32Bound, coremlFloat16Bound as float16Bound } from '../../../src/models/tolerances.js';

/** The rows beyond `bound`, described, so a failure names the case, output and index. */
export function beyond(rows: readonly ParityRow[], bound: number): string[] {
  return rows.filter((r) => !(r.maxError <= bound)).map((r) => describeDifference(`${r.variant} ${r.case} ${r.output}`, r));
}
