import { join } from 'node:path';
import { coremlGoldenParity } from '../check/coreml-parity.js';
import { convertToCoreml, type CoremlVariant } from '../convert/convert-coreml.js';
import { sha256Hex } from '../io/sha256.js';
import { coremlBound } from '../models/tolerances.js';
import { size, type FormatConverter } from './converted.js';
import { groupDigits } from '../ir/digits.js';

export const convertCoremlFormat: FormatConverter = (ctx, flags, dir) => {
  const variant: CoremlVariant = { raw: flags.raw, fp16: flags.fp16, seedCompatible: flags.seedCompatible };
  const a = convertToCoreml(ctx, variant);
  return {
    format: 'coreml',
    name: a.fileName,
    files: [{ name: a.fileName, bytes: a.bytes }],
    summary: `${join(dir, a.fileName)}  ${size(a.bytes)}  sha256 ${sha256Hex(a.bytes)}  (Core ML specification ${a.report.specificationVersion}, ${a.report.layers} layers, ${groupDigits(a.report.parameters)} parameters)`,
    needsOnnxRuntime: false,
    parity: async (cases, observe) => ({
      title: `Core ML reference executor${flags.fp16 ? ', float16 weights' : ''}`,
      rows: coremlGoldenParity(ctx, variant, undefined, a, cases, observe).rows,
      bound: (r) => coremlBound(r.model, { fp16: flags.fp16, decoded: !flags.raw }),
    }),
  };
};
