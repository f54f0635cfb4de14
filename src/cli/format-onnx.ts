import { join } from 'node:path';
import { onnxGoldenParity } from '../check/onnx-parity.js';
import { convertToOnnx, type OnnxVariant } from '../convert/convert-onnx.js';
import { sha256Hex } from '../io/sha256.js';
import { onnxBound } from '../models/tolerances.js';
import { size, type FormatConverter } from './converted.js';
import { groupDigits } from '../ir/digits.js';

export const convertOnnxFormat: FormatConverter = (ctx, flags, dir) => {
  const variant: OnnxVariant = { decode: flags.decode, preprocess: flags.preprocess, nchw: flags.nchw };
  const a = convertToOnnx(ctx, variant);
  return {
    format: 'onnx',
    name: a.fileName,
    files: [{ name: a.fileName, bytes: a.bytes }],
    summary: `${join(dir, a.fileName)}  ${size(a.bytes)}  sha256 ${sha256Hex(a.bytes)}  (${a.report.nodes} nodes, ${groupDigits(a.report.parameters)} parameters)`,
    needsOnnxRuntime: true,
    parity: async (cases, observe) => ({
      title: 'onnxruntime-node',
      rows: await onnxGoldenParity(ctx, variant, undefined, a, cases, undefined, observe),
      bound: (r) => onnxBound(r.model),
    }),
  };
};
