import { join } from 'node:path';
import { rebuiltGoldenParity } from '../check/rebuild-from-weights.js';
import { convertToWeights } from '../convert/convert-weights.js';
import { requireEntry } from '../convert/model-context.js';
import { coremlBound } from '../models/tolerances.js';
import { size, type FormatConverter } from './converted.js';

export const convertWeightsFormat: FormatConverter = (ctx, flags, dir) => {
  const a = convertToWeights(ctx, { fp16: flags.fp16 });
  const files = a.files.map((f) => ({ name: join(a.folder, f.name), bytes: f.bytes }));
  const total = files.reduce((sum, f) => sum + f.bytes.byteLength, 0);
  return {
    format: 'weights',
    name: `${a.folder}/`,
    files,
    summary: `${join(dir, a.folder)}/  ${a.manifest.tensors.length} tensors (${a.manifest.dtype}) + manifest.json, ${size(total)} in all`,
    needsOnnxRuntime: false,
    parity: async (cases, observe) => ({
      title: `network rebuilt from ${a.folder}/ alone, Core ML reference executor`,
      rows: rebuiltGoldenParity(join(dir, a.folder), requireEntry(ctx.file, 'parity against golden outputs'), undefined, cases, observe),
      bound: (r) => coremlBound(r.model, { fp16: flags.fp16, decoded: false }),
    }),
  };
};
