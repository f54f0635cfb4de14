/**
 * Fuzzing of the whole conversion: damaged and hostile model files go through reading, the
 * passes and every emitter, and each ONNX model that comes out must load in ONNX Runtime. The
 * harness takes the converter's entry points as an `api` object, so the same cases can run
 * against an older checkout for a before/after table.
 */
import { Random } from './random.js';
import { decodeModel, encodeModel, type BufferInit, type Model, type ModelInit, type OperatorInit, type TensorInit } from '../../src/schema/tflite.js';

export interface FuzzApi {
  /** Reads `bytes` and writes every artifact; returns the ONNX models among them. */
  convert(bytes: Uint8Array, name: string): Uint8Array[];
  /** Resolves when ONNX Runtime has loaded the model, rejects when it refuses it. */
  loadInOnnxRuntime(bytes: Uint8Array): Promise<void>;
  /** The converter's own error type: anything else thrown is untyped. */
  isTyped(error: unknown): boolean;
}

export interface FuzzCase {
  readonly kind: string;
  readonly name: string;
  readonly bytes: Uint8Array;
}

export type Outcome = 'success' | 'typed' | 'untyped' | 'onnx-refused' | 'hang' | 'memory';

export interface FuzzResult {
  readonly tries: number;
  readonly counts: Readonly<Record<Outcome, number>>;
  /** One example per outcome worth looking at. */
  readonly examples: readonly { readonly outcome: Outcome; readonly name: string; readonly detail: string }[];
  readonly slowestMs: number;
  readonly peakRssMiB: number;
}

/** Values that break assumptions: zero, one, negative, huge, and the edges of int32. */
const HOSTILE_INTS = [0, 1, 2, 3, -1, -2, 7, 255, 65_536, 2 ** 20, 2 ** 31 - 1, -(2 ** 31)];

/** Random bytes of the file overwritten: mostly caught by the flatbuffer reader. */
function byteMutation(bytes: Uint8Array, random: Random): Uint8Array {
  const out = bytes.slice();
  const count = 1 + random.below(16);
  for (let i = 0; i < count; i++) out[random.below(out.length)] = random.below(256);
  return out;
}

/**
 * One field of the decoded model changed to a hostile value, then the model written again with
 * our encoder: these files are well formed, so they test the graph builder, the passes and the
 * emitters rather than the reader.
 */
function structureMutation(model: Model, random: Random): { bytes: Uint8Array; what: string } {
  const subgraph = model.subgraphs?.[0];
  const tensors: TensorInit[] = [...(subgraph?.tensors ?? [])].map((t) => ({ ...t, shape: t.shape ? Array.from(t.shape) : undefined }));
  const operators: (Omit<OperatorInit, 'inputs'> & { inputs: number[] })[] = [...(subgraph?.operators ?? [])].map((o) => ({
    ...o,
    inputs: Array.from(o.inputs ?? []),
    outputs: Array.from(o.outputs ?? []),
  }));
  const buffers: BufferInit[] = [...(model.buffers ?? [])];
  const t = random.below(tensors.length);
  const o = random.below(operators.length);
  const tensor = tensors[t];
  const operator = operators[o];
  let what = '';
  switch (random.below(9)) {
    case 0: {
      const shape = [...(tensor?.shape ?? [])];
      if (shape.length > 0) shape[random.below(shape.length)] = random.pick(HOSTILE_INTS);
      tensors[t] = { ...tensor, shape };
      what = `tensor ${t} shape [${shape.join(',')}]`;
      break;
    }
    case 1: {
      const type = random.below(18);
      tensors[t] = { ...tensor, type };
      what = `tensor ${t} type ${type}`;
      break;
    }
    case 2: {
      const buffer = random.pick([0, 1, random.below(buffers.length), buffers.length + 3]);
      tensors[t] = { ...tensor, buffer };
      what = `tensor ${t} buffer ${buffer}`;
      break;
    }
    case 3: {
      const inputs = operator?.inputs ?? [];
      const at = random.below(inputs.length + 1);
      const value = random.pick([-1, random.below(tensors.length), tensors.length + 2]);
      if (at === inputs.length) inputs.push(value);
      else inputs[at] = value;
      what = `operator ${o} input ${at} = ${value}`;
      break;
    }
    case 4: {
      if (operator) operator.inputs = operator.inputs.filter((_, i) => i !== random.below(Math.max(operator.inputs.length, 1)));
      what = `operator ${o} loses an input`;
      break;
    }
    case 5: {
      const opcodeIndex = random.pick([random.below(model.operatorCodes?.length ?? 1), 99]);
      operators[o] = { ...operator, inputs: operator?.inputs ?? [], opcodeIndex };
      what = `operator ${o} opcode ${opcodeIndex}`;
      break;
    }
    case 6: {
      const options = operator?.builtinOptions;
      if (options && options.type !== 'unknown') {
        const fields = Object.keys(options.value);
        const field = random.pick(fields.length > 0 ? fields : ['none']);
        const value = random.pick(HOSTILE_INTS);
        const old = new Map<string, unknown>(Object.entries(options.value)).get(field);
        operators[o] = {
          ...operator,
          inputs: operator?.inputs ?? [],
          builtinOptions: {
            ...options,
            value: { ...options.value, [field]: typeof old === 'boolean' ? value % 2 === 0 : value },
          } as OperatorInit['builtinOptions'],
        };
        what = `operator ${o} ${options.type}.${field} = ${value}`;
      } else {
        what = `operator ${o} has no options`;
      }
      break;
    }
    case 7: {
      const other = tensors[random.below(tensors.length)];
      tensors[t] = { ...tensor, name: random.pick([other?.name ?? '', `${other?.name ?? ''}__nchw`, 'input', 'regressors', 'scores', '']) };
      what = `tensor ${t} renamed ${tensors[t]?.name}`;
      break;
    }
    default: {
      const b = tensor?.buffer ?? 0;
      const data = buffers[b]?.data;
      if (b > 0 && data && data.length > 0) {
        buffers[b] = { data: data.slice(0, random.below(data.length)) };
        what = `buffer ${b} truncated`;
      } else {
        what = `tensor ${t} is not a constant`;
      }
    }
  }
  const init: ModelInit = { ...model, buffers, subgraphs: [{ ...subgraph, tensors, operators }, ...(model.subgraphs?.slice(1) ?? [])] };
  return { bytes: encodeModel(init), what };
}

/** A mutation our encoder can write: a value that does not fit its field (a type byte of 65536) is drawn again. */
function encodable(mutate: () => { bytes: Uint8Array; what: string }): { bytes: Uint8Array; what: string } {
  for (let attempt = 0; ; attempt++) {
    try {
      return mutate();
    } catch (error) {
      if (attempt >= 20) throw error;
    }
  }
}

/**
 * `count` cases per source file, half byte mutations and half structure mutations, from `seed`.
 * Made one at a time as they are run: held all at once, 400 cases of a 5 MB model took 2 GB.
 */
export function* fuzzCases(sources: readonly { readonly name: string; readonly bytes: Uint8Array }[], count: number, seed: number): Generator<FuzzCase> {
  const random = new Random(seed);
  for (const source of sources) {
    // Decoded once: a structure mutation changes copies of the parts it touches, never the model.
    const model = decodeModel(source.bytes, 'fuzz');
    for (let i = 0; i < count; i++) {
      if (i % 2 === 0) {
        yield { kind: 'bytes', name: `${source.name} bytes #${i}`, bytes: byteMutation(source.bytes, random) };
      } else {
        const mutated = encodable(() => structureMutation(model, random));
        yield { kind: 'structure', name: `${source.name} ${mutated.what}`, bytes: mutated.bytes };
      }
    }
  }
}

/**
 * Runs every case. A case counts as a hang past `hangMs` and as over-limit memory when the
 * resident set has grown by more than `memoryMiB` since the run began (growth, not the total:
 * the process may hold other work's memory, as a test worker running many files does); both
 * still finish, since the conversion is synchronous.
 */
export async function runFuzz(api: FuzzApi, cases: Iterable<FuzzCase>, limits = { hangMs: 10_000, memoryMiB: 2048 }): Promise<FuzzResult> {
  const counts: Record<Outcome, number> = { success: 0, typed: 0, untyped: 0, 'onnx-refused': 0, hang: 0, memory: 0 };
  const examples: { outcome: Outcome; name: string; detail: string }[] = [];
  let slowestMs = 0;
  let peakRssMiB = 0;
  let tries = 0;
  const baselineMiB = process.memoryUsage().rss / 2 ** 20;
  for (const c of cases) {
    tries++;
    const started = performance.now();
    let outcome: Outcome = 'success';
    let detail = '';
    try {
      for (const onnx of api.convert(c.bytes, `${c.kind}.tflite`)) {
        try {
          await api.loadInOnnxRuntime(onnx);
        } catch (error) {
          outcome = 'onnx-refused';
          detail = (error as Error).message.split('\n')[0] ?? '';
        }
      }
    } catch (error) {
      outcome = api.isTyped(error) ? 'typed' : 'untyped';
      detail = `${(error as Error).name}: ${(error as Error).message}`.split('\n')[0] ?? '';
    }
    const ms = performance.now() - started;
    const rss = process.memoryUsage().rss / 2 ** 20;
    slowestMs = Math.max(slowestMs, ms);
    peakRssMiB = Math.max(peakRssMiB, rss);
    if (ms > limits.hangMs) outcome = 'hang';
    else if (rss - baselineMiB > limits.memoryMiB) outcome = 'memory';
    counts[outcome]++;
    if (outcome !== 'success' && outcome !== 'typed' && examples.filter((e) => e.outcome === outcome).length < 5)
      examples.push({ outcome, name: c.name, detail: detail.slice(0, 200) });
  }
  return { tries, counts, examples, slowestMs, peakRssMiB };
}

export function formatFuzz(result: FuzzResult): string {
  const { counts } = result;
  const lines = [
    '| tries | success | typed | untyped | ONNX refused | hangs | memory | slowest | peak RSS |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${result.tries} | ${counts.success} | ${counts.typed} | ${counts.untyped} | ${counts['onnx-refused']} | ${counts.hang} | ${counts.memory} | ${result.slowestMs.toFixed(0)} ms | ${result.peakRssMiB.toFixed(0)} MiB |`,
    ...result.examples.map((e) => `- ${e.outcome}: ${e.name}: ${e.detail}`),
  ];
  return lines.join('\n');
}
