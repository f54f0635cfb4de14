/**
 * The reference: the real TFLite interpreter (TFLite Web API, WASM + XNNPACK, from
 * `@tensorflow/tfjs-tflite`), run in Node. Golden outputs and parity checks come from here.
 *
 * Output tensor names are the TFLite tensor names as the interpreter reports them, in the
 * model's output order. All runners in a process share one WASM module (see wasm-host.ts);
 * runs are synchronous, so they never interleave.
 */
import type { TFLiteWebModelRunner } from '@tensorflow/tfjs-tflite/dist/types/tflite_web_model_runner.js';
import { BlazefaceError, InputError } from '../../ir/errors.js';
import { loadTfliteWebApi, TFJS_TFLITE_PACKAGE, WASM_BUILD } from './wasm-host.js';

/** Which interpreter produced the numbers: package version and the WASM build that ran. */
export const TFLITE_RUNTIME_VERSION = `${TFJS_TFLITE_PACKAGE} (${WASM_BUILD})`;

export interface TfliteRunResult {
  readonly outputs: ReadonlyMap<string, { readonly shape: readonly number[]; readonly data: Float32Array }>;
}

export interface TfliteReference {
  /** Runs the model on a flat NHWC float32 input; outputs are copies the caller owns. */
  run(input: Float32Array): TfliteRunResult;
  readonly inputShape: readonly number[];
  /** TFLite output tensor names in the model's output order. */
  readonly outputNames: readonly string[];
  /** Frees the interpreter and the model copy in the WASM heap. */
  dispose(): void;
}

/**
 * Creates an interpreter for a float32 single-input model. `numThreads` defaults to 1; the
 * single-threaded build runs on one thread whatever is asked, but the value is always passed
 * because the runner otherwise reads `navigator`, which Node 20 lacks.
 */
export async function loadTfliteReference(modelBytes: Uint8Array, options: { numThreads?: number } = {}): Promise<TfliteReference> {
  const numThreads = options.numThreads ?? 1;
  if (!Number.isInteger(numThreads) || numThreads < 1) {
    throw new InputError(`numThreads must be a positive integer, got ${numThreads}`);
  }
  const client = await loadTfliteWebApi();
  // The runner keeps its own copy in the WASM heap; give it exactly the model's bytes.
  const modelBuffer = modelBytes.slice().buffer;
  let runner: TFLiteWebModelRunner;
  try {
    runner = await client.TFLiteWebModelRunner.create(modelBuffer, { numThreads, enableProfiling: false });
  } catch (error) {
    throw new BlazefaceError(`TFLite interpreter refused the model: ${(error as Error).message}`);
  }
  try {
    return describeRunner(runner);
  } catch (error) {
    runner.cleanUp();
    throw error;
  }
}

function describeRunner(runner: TFLiteWebModelRunner): TfliteReference {
  const inputs = runner.getInputs();
  const [input] = inputs;
  if (!input || inputs.length !== 1) throw new BlazefaceError(`expected one model input, found ${inputs.length}`);
  if (input.dataType !== 'float32') throw new BlazefaceError(`input ${input.name} is ${input.dataType}, expected float32`);
  const inputShape = parseShape(input.shape);
  const inputLength = inputShape.reduce((a, b) => a * b, 1);
  const outputInfos = runner.getOutputs();
  for (const info of outputInfos) {
    if (info.dataType !== 'float32') throw new BlazefaceError(`output ${info.name} is ${info.dataType}, expected float32`);
  }
  const outputNames = outputInfos.map((info) => info.name);
  if (new Set(outputNames).size !== outputNames.length) {
    throw new BlazefaceError(`output tensor names are not unique: ${outputNames.join(', ')}`);
  }
  const outputShapes = outputInfos.map((info) => parseShape(info.shape));
  let disposed = false;

  return {
    inputShape,
    outputNames,
    run(data: Float32Array): TfliteRunResult {
      if (disposed) throw new BlazefaceError('the TFLite reference was disposed');
      if (data.length !== inputLength) {
        throw new InputError(`input has ${data.length} values, the model expects ${inputLength} (${inputShape.join('x')})`);
      }
      // Tensor views point into the WASM heap, which moves when memory grows: fetch them fresh.
      inputView(runner).set(data);
      if (!runner.infer()) throw new BlazefaceError('TFLite inference failed');
      const outputs = new Map<string, { shape: readonly number[]; data: Float32Array }>();
      runner.getOutputs().forEach((info, i) => {
        const view = info.data();
        if (!(view instanceof Float32Array)) throw new BlazefaceError(`output ${info.name} gave no float32 buffer`);
        // slice() copies the bytes, so the result survives the next run and keeps NaN payloads.
        outputs.set(info.name, { shape: outputShapes[i] ?? [], data: view.slice() });
      });
      return { outputs };
    },
    dispose(): void {
      if (disposed) return;
      disposed = true;
      runner.cleanUp();
    },
  };
}

function inputView(runner: TFLiteWebModelRunner): Float32Array {
  const view = runner.getInputs()[0]?.data();
  if (!(view instanceof Float32Array)) throw new BlazefaceError('the interpreter gave no float32 input buffer');
  return view;
}

/** The runner reports shapes as comma-separated text ("1,128,128,3"). */
function parseShape(text: string): number[] {
  const dims = text.split(',').map(Number);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new BlazefaceError(`cannot read tensor shape '${text}'`);
  return dims;
}
