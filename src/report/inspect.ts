import { elementCount, type Graph } from '../ir/graph.js';
import { opCounts } from '../ir/query.js';
import type { LoadedGraph } from '../convert/pipeline.js';
import { findBlazeBlocks, type BlazeBlock } from '../passes/find-blaze-blocks.js';
import { headSources, type HeadSource } from '../convert/ssd-heads.js';
import type { ModelInput } from '../convert/model-context.js';
import type { DetectorSpec } from '../models/detector.js';
import type { TensorMetadataInfo, TfliteMetadataInfo } from '../read/read-metadata.js';
import { terminalSafe } from './terminal.js';
import { groupDigits } from '../ir/digits.js';

export interface TensorSummary {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
}

/** The JSON form of `blazeface inspect --json` (documented in the README). */
export interface InspectReport {
  readonly file: string;
  readonly model: string | null;
  readonly sha256: string;
  readonly bytes: number;
  readonly description: string | null;
  readonly version: number;
  readonly inputs: readonly TensorSummary[];
  readonly outputs: readonly (TensorSummary & { readonly canonical: string; readonly heads: readonly HeadSource[] })[];
  readonly ops: Readonly<Record<string, number>>;
  readonly operators: number;
  readonly tensors: number;
  readonly constantsBeforeFolding: { readonly count: number; readonly dtypes: Readonly<Record<string, number>>; readonly sparse: number };
  readonly constantsAfterFolding: { readonly count: number; readonly parameters: number };
  readonly blazeBlocks: readonly BlazeBlock[];
  /** The input size and the range pixels map to, with where the range comes from. */
  readonly input?: ModelInput;
  /** SSD detectors: anchor and decoding options, keypoint names, where they come from and why. */
  readonly detector?: DetectorSpec;
  /** Why an SSD-shaped model's anchors could not be inferred. */
  readonly undecodable?: string;
  /** The file's TFLITE_METADATA: name, version, author, per-tensor normalization and labels. */
  readonly metadata?: TfliteMetadataInfo;
  /** Why the file's TFLITE_METADATA could not be read (the graph was read all the same). */
  readonly metadataProblem?: string;
}

/** What the model context adds to the graph facts (see loadModelContext). */
export interface InspectContext {
  readonly input?: ModelInput;
  readonly detector?: DetectorSpec;
  readonly undecodable?: string;
  readonly metadata?: TfliteMetadataInfo;
  readonly metadataProblem?: string;
}

export function inspectModel(
  loaded: LoadedGraph,
  info: { file: string; model: string | null; sha256: string; bytes: number },
  context: InspectContext = {},
): InspectReport {
  const { source, graph, tflite } = loaded;
  const constants = (g: Graph) => [...g.values.values()].filter((v) => v.data !== undefined);
  const dtypes: Record<string, number> = {};
  for (const v of constants(source).sort((a, b) => a.dtype.localeCompare(b.dtype))) dtypes[v.dtype] = (dtypes[v.dtype] ?? 0) + 1;
  const folded = constants(graph);
  const canonical = new Map([...graph.outputs].map((id, i) => [source.outputs[i], id] as const));
  return {
    file: info.file,
    model: info.model,
    sha256: info.sha256,
    bytes: info.bytes,
    description: tflite.model.description,
    version: tflite.model.version,
    inputs: source.inputs.map((id) => summary(source, id)),
    outputs: source.outputs.map((id) => {
      const name = canonical.get(id) ?? id;
      const ssd = name === 'regressors' || name === 'classificators';
      return { ...summary(source, id), canonical: name, heads: ssd ? headSources(graph, name) : [] };
    }),
    ops: opCounts(source),
    operators: source.nodes.length,
    tensors: source.values.size,
    constantsBeforeFolding: { count: constants(source).length, dtypes, sparse: constants(source).filter((v) => v.sparsity).length },
    constantsAfterFolding: { count: folded.length, parameters: folded.reduce((n, v) => n + elementCount(v.shape), 0) },
    blazeBlocks: findBlazeBlocks(graph),
    ...(context.input ? { input: context.input } : {}),
    ...(context.detector ? { detector: context.detector } : {}),
    ...(context.undecodable ? { undecodable: context.undecodable } : {}),
    ...(context.metadata ? { metadata: context.metadata } : {}),
    ...(context.metadataProblem ? { metadataProblem: context.metadataProblem } : {}),
  };
}

function summary(graph: Graph, id: string): TensorSummary {
  const v = graph.values.get(id);
  return { name: id, dtype: v?.dtype ?? 'unknown', shape: v?.shape ?? [] };
}

/** The human-readable form of the report, for a terminal: every name from the file is escaped (see terminalSafe). */
export function formatInspect(r: InspectReport): string {
  return terminalSafe(formatReport(r));
}

function formatReport(r: InspectReport): string {
  const lines: string[] = [];
  const shape = (s: readonly number[]) => `[${s.join('x')}]`;
  lines.push(`${r.file}${r.model ? `  (registry: ${r.model})` : ''}`);
  lines.push(`  sha256       ${r.sha256}`);
  lines.push(`  size         ${groupDigits(r.bytes)} bytes, schema version ${r.version}${r.description ? `, "${r.description}"` : ''}`);
  for (const t of r.inputs) lines.push(`  input        ${t.name} ${t.dtype} ${shape(t.shape)}`);
  for (const t of r.outputs) lines.push(`  output       ${t.name} ${t.dtype} ${shape(t.shape)}  -> ${t.canonical}`);
  lines.push(
    `  operators    ${r.operators} (${Object.entries(r.ops)
      .map(([op, n]) => `${op} ${n}`)
      .join(', ')})`,
  );
  lines.push(
    `  constants    ${r.constantsBeforeFolding.count} in the file (${Object.entries(r.constantsBeforeFolding.dtypes)
      .map(([d, n]) => `${d} ${n}`)
      .join(', ')}${r.constantsBeforeFolding.sparse ? `; ${r.constantsBeforeFolding.sparse} sparse` : ''})`,
  );
  lines.push(`               ${r.constantsAfterFolding.count} after folding, ${groupDigits(r.constantsAfterFolding.parameters)} parameters (float32)`);
  lines.push('');
  lines.push(`  BlazeBlocks (${r.blazeBlocks.length})`);
  lines.push('    #   kind    in -> out  stride  kernel  residual');
  for (const b of r.blazeBlocks) {
    lines.push(
      `    ${String(b.index).padStart(2)}  ${b.kind.padEnd(6)}  ${String(b.inChannels).padStart(3)} -> ${String(b.outChannels).padEnd(3)}  ${String(b.stride).padStart(6)}  ${`${b.kernel}x${b.kernel}`.padStart(6)}  ${b.residual}`,
    );
  }
  if (r.input) lines.push(`  pixels       mapped to [${r.input.range.join(', ')}] (${r.input.rangeSource})`);
  lines.push('');
  lines.push('  Feature maps -> outputs');
  for (const o of r.outputs) {
    for (const h of o.heads) {
      lines.push(
        `    ${o.canonical.padEnd(15)} anchors ${String(h.anchors[0]).padStart(4)}..${String(h.anchors[1]).padEnd(4)} ${h.featureMap[0]}x${h.featureMap[1]}x${h.featureMap[2]} map, ${h.anchorsPerCell} per cell, head ${h.head}`,
      );
    }
  }
  if (r.detector) lines.push('', ...formatDetector(r.detector));
  else if (r.undecodable) lines.push('', `  SSD detector: anchors not inferred: ${r.undecodable}`);
  if (r.metadata) lines.push('', ...formatMetadata(r.metadata));
  else if (r.metadataProblem) lines.push('', `  TFLITE_METADATA not readable (the graph is unaffected): ${r.metadataProblem}`);
  return lines.join('\n');
}

/** How many labels the text form lists before "...". */
const LABELS_SHOWN = 5;

function formatMetadata(m: TfliteMetadataInfo): string[] {
  const lines = ['  TFLITE_METADATA'];
  const field = (label: string, value: string | undefined) => {
    if (value) lines.push(`    ${label.padEnd(12)} ${value.replace(/\s+/g, ' ')}`);
  };
  field('name', m.name);
  field('version', m.version);
  field('description', m.description);
  field('author', m.author);
  field('license', m.license);
  field('parser', m.minParserVersion && `metadata parser ${m.minParserVersion} or later`);
  const tensor = (kind: string, t: TensorMetadataInfo, i: number) => {
    const parts: string[] = [];
    if (t.normalization) parts.push(`normalization (x - [${t.normalization.mean.join(', ')}]) / [${t.normalization.std.join(', ')}]`);
    if (t.image) parts.push(`image ${t.image.colorSpace}${t.image.width ? ` ${t.image.width}x${t.image.height}` : ''}`);
    if (t.scoreThreshold !== undefined) parts.push(`score threshold ${t.scoreThreshold}`);
    lines.push(`    ${`${kind} ${i}`.padEnd(12)} ${t.name ?? '(unnamed)'}${parts.length ? `: ${parts.join('; ')}` : ''}`);
    for (const l of t.labels ?? []) {
      const shown = l.labels
        ? `${l.labels.length} label${l.labels.length === 1 ? '' : 's'}: ${l.labels.slice(0, LABELS_SHOWN).join(', ')}${l.labels.length > LABELS_SHOWN ? ', ...' : ''}`
        : `not read: ${l.problem}`;
      lines.push(`                 ${l.file} (${l.type}${l.locale ? `, ${l.locale}` : ''}) ${shown}`);
    }
  };
  m.inputs.forEach((t, i) => tensor('input', t, i));
  m.outputs.forEach((t, i) => tensor('output', t, i));
  if (m.files.length) lines.push(`    files        ${m.files.join(', ')} (zip archive appended to the model)`);
  return lines;
}

function formatDetector(d: DetectorSpec): string[] {
  const a = d.anchors;
  const o = d.decoding;
  return [
    `  SSD detector (anchors: ${d.origin.anchors}; decoding: ${d.origin.decoding})`,
    `    anchors      ${JSON.stringify(a)}`,
    `    decoding     ${o.num_boxes} boxes x ${o.num_coords} coords, ${o.num_keypoints} keypoints, scales ${o.x_scale}/${o.y_scale}/${o.w_scale}/${o.h_scale}, min score ${o.min_score_thresh}, NMS IoU ${o.min_suppression_threshold}`,
    `    keypoints    ${d.keypoints.join(', ')}${d.family ? ` (${d.family})` : ''}`,
    ...d.reasons.map((reason, i) => `    ${i === 0 ? 'why' : '   '}          ${reason}`),
  ];
}
