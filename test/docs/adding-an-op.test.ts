import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTfliteReference } from '../../src/runtimes/tflite/tflite-runtime.js';
import { seededFloats, TfliteModelBuilder } from '../support/one-op-model.js';

/**
 * Follows docs/adding-an-op.md on a copy of src/: the worked example's snippets go where the
 * document says, and the copy must then compile and run the toy op end to end. Leaving out any
 * one step must not compile, and every per-op record in src/ must have a step, so the document
 * stays the whole recipe.
 */

interface Step {
  readonly file: string;
  readonly anchor: string;
  readonly snippet: string;
}

const DOC = readFileSync('docs/adding-an-op.md', 'utf8');
const STEPS: readonly Step[] = [...DOC.matchAll(/<!-- toy-op: (\S+) after "(.+?)" -->\n```ts\n([\s\S]*?)```/g)].map((m) => ({
  file: m[1] ?? '',
  anchor: m[2] ?? '',
  snippet: m[3] ?? '',
}));

/** Inside the repository, so the copy resolves node_modules like src/ does. */
const WORK = resolve('.cache', `toy-op-${process.pid}`);

/** The step files' text with `steps` applied, by repository path. */
function edited(steps: readonly Step[]): Map<string, string> {
  const files = new Map<string, string>();
  for (const step of steps) {
    const lines = (files.get(step.file) ?? readFileSync(step.file, 'utf8')).split('\n');
    const at = lines.findIndex((line) => line.includes(step.anchor));
    if (at < 0 || lines.findIndex((line, i) => i > at && line.includes(step.anchor)) >= 0)
      throw new Error(`${step.file}: anchor "${step.anchor}" is not on exactly one line`);
    lines.splice(at + 1, 0, step.snippet.replace(/\n$/, ''));
    files.set(step.file, lines.join('\n'));
  }
  return files;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

const OPTIONS: ts.CompilerOptions = (() => {
  const { config } = ts.readConfigFile('tsconfig.json', (p) => readFileSync(p, 'utf8'));
  return { ...ts.convertCompilerOptionsFromJson(config.compilerOptions, '.').options, noEmit: true, declaration: false, sourceMap: false };
})();

/** Parsed files shared by every program below: only the edited files differ between them. */
const parsed = new Map<string, ts.SourceFile>();

/** The program made last: the next one takes over its module resolutions for the files that did not change. */
let previous: ts.Program | undefined;

/**
 * The files `overrides` replaces (by repository path) and the src/ files that import one of them,
 * directly or through other src/ files: the only files whose types an edit of module files can
 * change, so the only ones to check again (tsc's incremental builder decides the same way). The
 * others are unmodified src/ files, which the build type-checks. An edit that declares globals
 * can reach any file, and then every file is checked.
 */
function dependents(overrides: ReadonlyMap<string, string>): string[] {
  if ([...overrides.values()].some((text) => /\bdeclare\s+global\b/.test(text))) return sourceFiles('src');
  const importers = new Map<string, string[]>();
  for (const file of sourceFiles('src')) {
    const text = overrides.get(file) ?? readFileSync(file, 'utf8');
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      const target = ts.resolveModuleName(fileName, resolve(file), OPTIONS, ts.sys).resolvedModule?.resolvedFileName;
      if (target !== undefined) importers.set(relative('.', target), [...(importers.get(relative('.', target)) ?? []), file]);
    }
  }
  const found = new Set(overrides.keys());
  for (const file of found) for (const importer of importers.get(file) ?? []) found.add(importer);
  return [...found];
}

/**
 * Type errors of src/ with `overrides` in place of the files they name, as `file: message`;
 * only in `files` when given (checking one record is enough to see its entry missing), else in
 * every file the overrides can affect.
 */
function typeErrors(overrides: ReadonlyMap<string, string>, files?: readonly string[]): string[] {
  const base = ts.createCompilerHost(OPTIONS);
  const host: ts.CompilerHost = {
    ...base,
    getSourceFile(fileName, languageVersion) {
      const text = overrides.get(relative('.', fileName)) ?? ts.sys.readFile(fileName);
      if (text === undefined) return undefined;
      const key = `${fileName}\0${text.length}\0${text}`;
      const known = parsed.get(key);
      if (known) return known;
      const file = ts.createSourceFile(fileName, text, languageVersion);
      parsed.set(key, file);
      return file;
    },
    readFile: (fileName) => overrides.get(relative('.', fileName)) ?? base.readFile(fileName),
  };
  const program = ts.createProgram({ rootNames: sourceFiles('src'), options: OPTIONS, host, oldProgram: previous });
  previous = program;
  const semantic = (paths: readonly string[]): readonly ts.Diagnostic[] =>
    paths.flatMap((path) => {
      const file = program.getSourceFile(resolve(path));
      if (file === undefined) throw new Error(`${path} is not in the program`);
      return program.getSemanticDiagnostics(file);
    });
  // What ts.getPreEmitDiagnostics reports, with the semantic check only where the edits reach.
  const diagnostics = files
    ? semantic(files)
    : [...program.getOptionsDiagnostics(), ...program.getSyntacticDiagnostics(), ...program.getGlobalDiagnostics(), ...semantic(dependents(overrides))];
  return diagnostics.map((d) => `${d.file ? relative('.', d.file.fileName) : '?'}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** A copy of src/ with `files` written over it, to run the toy op for real. */
function writeCopy(files: ReadonlyMap<string, string>): void {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  cpSync('src', join(WORK, 'src'), { recursive: true });
  for (const [file, text] of files) writeFileSync(join(WORK, file), text);
}

/**
 * A detector-shaped toy: input [1,5,7,16] → ABS → [1,35,16], and a 1x1 convolution of it →
 * [1,35,1]; graph outputs are 3-D, as the layout pass wants.
 */
function absModel(): Uint8Array {
  const m = new TfliteModelBuilder();
  const x = m.input('input', [1, 5, 7, 16]);
  const abs = m.op('ABS', [x], { name: 'abs', shape: [1, 5, 7, 16] });
  const reshape = (from: number, name: string, width: number): void => {
    const shape = m.constant(`${name}_shape`, [3], { dtype: 'int32', data: [1, 35, width] });
    m.output(m.op('RESHAPE', [from, shape], { name, shape: [1, 35, width] }, { type: 'ReshapeOptions', value: { newShape: [1, 35, width] } }));
  };
  reshape(abs, 'regressors', 16);
  const kernel = m.constant('kernel', [1, 1, 1, 16], { dtype: 'float32', data: seededFloats(16, 3) });
  const bias = m.constant('bias', [1], { dtype: 'float32', data: [0.25] });
  const options = { padding: 1, strideW: 1, strideH: 1, dilationWFactor: 1, dilationHFactor: 1 };
  reshape(m.op('CONV_2D', [abs, kernel, bias], { name: 'logits', shape: [1, 5, 7, 1] }, { type: 'Conv2DOptions', value: options }), 'classificators', 1);
  return m.finish('toy op: ABS');
}

describe('docs/adding-an-op.md', () => {
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it('has a step for every per-op record in src/', () => {
    const records = sourceFiles('src').filter((f) => /export const \w+: (\{ readonly \[K in OpType\]|OpTable\b)/.test(readFileSync(f, 'utf8')));
    expect(records.length).toBeGreaterThanOrEqual(6);
    expect(records.map((f) => relative('.', f)).filter((f) => !STEPS.some((s) => s.file === f))).toEqual([]);
  });

  it('adds a toy op that compiles and runs like TFLite in the reference, ONNX Runtime, the Core ML and the MIL executors', async () => {
    const files = edited(STEPS);
    expect(typeErrors(files)).toEqual([]);
    writeCopy(files);

    const bytes = absModel();
    const input = seededFloats(560, 7, 3);
    const tflite = await loadTfliteReference(bytes);
    const expected = tflite.run(input).outputs;
    tflite.dispose();
    expect(expected.get('regressors')?.data).toEqual(input.map(Math.abs));
    /** Every output within 1e-6 of TFLite's (the convolution may sum in another order). */
    const matches = (outputs: Readonly<Record<string, { readonly data: Float32Array } | undefined>>): void => {
      for (const [name, { data }] of expected) {
        const got = outputs[name]?.data;
        expect(got?.length, name).toBe(data.length);
        expect(Math.max(...data.map((v, i) => Math.abs(v - (got?.[i] ?? NaN)) / (1 + Math.abs(v)))), name).toBeLessThan(1e-6);
      }
    };

    const src = (path: string): Promise<Record<string, unknown>> => import(/* @vite-ignore */ join(WORK, 'src', path));
    const { loadGraph, targetGraph } = (await src('convert/pipeline.ts')) as typeof import('../../src/convert/pipeline.js');
    const { evaluateGraph } = (await src('runtimes/reference/evaluate-graph.ts')) as typeof import('../../src/runtimes/reference/evaluate-graph.js');
    const { emitOnnx } = (await src('emit/onnx/emit-onnx.ts')) as typeof import('../../src/emit/onnx/emit-onnx.js');
    const { loadOnnx } = (await src('runtimes/onnxruntime/onnx-runner.ts')) as typeof import('../../src/runtimes/onnxruntime/onnx-runner.js');
    const { emitCoreml } = (await src('emit/coreml/emit-coreml.ts')) as typeof import('../../src/emit/coreml/emit-coreml.js');
    const { decodeForExecution, executeMlmodel } = (await src('runtimes/coreml/execute.ts')) as typeof import('../../src/runtimes/coreml/execute.js');

    const { graph } = loadGraph(bytes, 'abs.tflite');
    expect(graph.nodes.map((n) => n.op)).toContain('ABS');
    matches(Object.fromEntries(evaluateGraph(graph, { input })));

    const onnx = await loadOnnx(emitOnnx(targetGraph(graph, {}), { producerVersion: 'test', graphName: 'abs', metadata: {} }).bytes);
    matches(await onnx.run({ input: { shape: [1, 5, 7, 16], data: input } }));
    await onnx.release();

    const nchw = targetGraph(graph, { nchwInput: true, profile: 'portable' });
    const mlmodel = emitCoreml(nchw, { metadata: { userDefined: {} } }).bytes;
    const nchwInput = new Float32Array(560).map((_, i) => input[(i % 35) * 16 + Math.floor(i / 35)] ?? NaN);
    matches(executeMlmodel(decodeForExecution(mlmodel, 'abs.mlmodel'), { input: nchwInput }));

    const { emitMlProgram } = (await src('emit/mlprogram/emit-mlprogram.ts')) as typeof import('../../src/emit/mlprogram/emit-mlprogram.js');
    const { executeMlProgram, loadMlPackage } = (await src('runtimes/mil/execute.ts')) as typeof import('../../src/runtimes/mil/execute.js');
    const mlpackage = emitMlProgram(nchw, { precision: 'fp32', metadata: { userDefined: {} } }).files;
    matches(executeMlProgram(loadMlPackage(new Map(mlpackage.map((f) => [f.path, f.bytes])), 'abs.mlpackage'), { input: nchwInput }));
  });

  it.each(STEPS.map((s) => [s.file] as const))('does not compile without the step in %s', (file) => {
    // Without the attributes every other step names an op that does not exist; without any other step its record lacks the op.
    const checked = file === 'src/ir/attrs.ts' ? 'src/ir/op-table.ts' : file;
    expect(typeErrors(edited(STEPS.filter((s) => s.file !== file)), [checked])).not.toEqual([]);
  });
});
