import { join } from 'node:path';
import { mlpackageGoldenParity } from '../check/mlpackage-parity.js';
import { convertToMlPackage, type MlPackageVariant } from '../convert/convert-mlpackage.js';
import { sha256Hex } from '../io/sha256.js';
import { mlprogramBound } from '../models/tolerances.js';
import { UsageError } from './common.js';
import { size, type FormatConverter } from './converted.js';
import { groupDigits } from '../ir/digits.js';

export const convertMlPackageFormat: FormatConverter = (ctx, flags, dir) => {
  if (flags.seedCompatible) throw new UsageError("--seed-compatible: an ML Program's outputs must be MIL identifiers, and 1477 / 1011 are not", ctx.file.path);
  const precision = flags.precision ?? 'fp16';
  const variant: MlPackageVariant = { raw: flags.raw, precision };
  const a = convertToMlPackage(ctx, variant);
  const total = a.files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
  const weights = a.files.find((f) => f.path.endsWith('weight.bin'));
  return {
    format: 'mlpackage',
    name: `${a.folder}/`,
    files: a.files.map((f) => ({ name: join(a.folder, f.path), bytes: f.bytes })),
    summary:
      `${join(dir, a.folder)}/  ${size(total)} in all, weight.bin sha256 ${weights ? sha256Hex(weights.bytes) : '-'}  ` +
      `(ML Program, specification ${a.report.specificationVersion}, opset ${a.report.opset}, ${a.report.precision}, ${a.report.operations} operations, ${groupDigits(a.report.parameters)} parameters)`,
    needsOnnxRuntime: false,
    parity: async (cases, observe) => ({
      title: `MIL reference executor, ${precision}`,
      rows: mlpackageGoldenParity(ctx, variant, undefined, a, cases, observe).rows,
      bound: (r) => mlprogramBound(r.model, { precision, decoded: !flags.raw }),
    }),
  };
};
