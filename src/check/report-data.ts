/**
 * What the HTML reports show beyond the parity rows, from what the parity runs computed
 * (ParityObserver), so nothing is run twice: error histograms, and the pictures: what each runtime's outputs on the golden images mean,
 * drawn on the images. An SSD detector's detections (decoded, suppressed and projected back to
 * the image exactly as `detect` does it), a landmark model's points, side by side with what the
 * TFLite runtime's golden outputs give, and how far each runtime's are from TFLite's.
 * TFLite's outputs are the golden files.
 */
import { requireEntry, type ModelContext } from '../convert/model-context.js';
import { type AnnotationFormat, annotate, annotateLandmarks, keypointColor } from '../detect/annotate.js';
import { letterboxProjection, postprocess, postprocessDecoded, type PostprocessOptions } from '../detect/detect-faces.js';
import type { Detection } from '../detect/detection.js';
import { landmarksOf, type Landmark } from '../detect/landmarks.js';
import { detectorAnchorTable } from '../models/detector.js';
import {
  type ErrorHistogram,
  errorHistogram,
  type HtmlHistogram,
  type HtmlPictureCase,
  type HtmlPicturePanel,
  type HtmlPictures,
  mergeHistograms,
} from '../report/parity-html.js';
import { readGolden, readGoldenManifest, type GoldenCase, type GoldenManifest, type GoldenPicture } from './golden.js';
import type { ObservedCase, ParityObserver } from './onnx-parity.js';

/** What one runtime's parity run computed, by case name. */
export interface ObservedRun {
  readonly runtime: string;
  readonly cases: ReadonlyMap<string, ObservedCase>;
}

/** The column TFLite's golden outputs fill: the reference the others are measured against. */
export const TFLITE_RUNTIME = 'TFLite runtime (golden outputs)';

/** Longer side of each picture in the page, in pixels: the 128-pixel golden images drawn twice as large. */
const PICTURE_SIDE = 256;

/** A run to fill from a parity check: pass `observer` to the check, then read `run`. */
export function observeRun(runtime: string): { readonly observer: ParityObserver; readonly run: ObservedRun } {
  const cases = new Map<string, ObservedCase>();
  return { observer: (seen) => cases.set(seen.case.name, seen), run: { runtime, cases } };
}

/** Element-wise error histograms of a run: one per case and output, or with `perOutput` one per output over all cases. */
export function runHistograms(run: ObservedRun, options: { readonly prefix?: string; readonly perOutput?: boolean } = {}): HtmlHistogram[] {
  const byLabel = new Map<string, ErrorHistogram[]>();
  for (const seen of run.cases.values()) {
    for (const [output, expected] of seen.expected) {
      const label = `${options.prefix ?? ''}${options.perOutput ? `${output}, ${run.cases.size} cases` : `${seen.case.name} ${output}`}`;
      byLabel.set(label, [...(byLabel.get(label) ?? []), errorHistogram(seen.actual.get(output) ?? new Float32Array(0), expected)]);
    }
  }
  return [...byLabel].map(([label, histograms]) => ({ label, histogram: mergeHistograms(histograms) }));
}

type Drawn =
  | { readonly kind: 'detections'; readonly detections: readonly Detection[] }
  | { readonly kind: 'landmarks'; readonly landmarks: readonly Landmark[]; readonly presence?: { readonly output: string; readonly value: number } };

/**
 * Every image case (the golden photos and `noise`) drawn from each source, TFLite last. A model
 * that is neither an SSD detector nor a landmark model gets no pictures, and the page says so.
 */
export async function goldenPictures(
  ctx: ModelContext,
  cases: readonly GoldenCase[],
  runs: readonly ObservedRun[],
  manifest: GoldenManifest = readGoldenManifest(),
): Promise<HtmlPictures> {
  const entry = requireEntry(ctx.file, 'pictures of the golden outputs');
  const runtimes = [...runs.map((r) => r.runtime), TFLITE_RUNTIME];
  // TFLite's golden outputs stand as the last run: the raw tensors, by output name.
  const golden = (c: GoldenCase): ReadonlyMap<string, Float32Array> => readGolden(entry.id, c.name, manifest).tensors;
  const pictured = cases.filter((c): c is GoldenCase & { makePicture(): GoldenPicture } => c.pixels && c.makePicture !== undefined);
  const what = ctx.detector
    ? `${ctx.detector.family === 'palm' ? 'Palms' : ctx.detector.family === 'face' ? 'Faces' : 'Detections'} with score ≥ ${ctx.detector.decoding.min_score_thresh} after weighted NMS (IoU > ${ctx.detector.decoding.min_suppression_threshold}), projected back to the image as \`detect\` does; each caption gives the count, the scores, and the largest distance in pixels of a box corner or keypoint from TFLite's.`
    : entry.landmarks
      ? `The model's ${entry.landmarks.count} landmarks (output ${entry.landmarks.output}, x and y over the input size, projected back to the image). A landmark model expects a crop around one ${entry.landmarks.of}; on these whole images the points need not sit on anything: what the pictures show is whether the runtimes agree. Each caption gives the largest distance in pixels of a point from TFLite's.`
      : undefined;
  if (what === undefined) {
    return { runtimes, note: `${entry.id} is neither an SSD detector nor a landmark model: there are no detections to draw.`, cases: [] };
  }
  const anchors = ctx.detector && detectorAnchorTable(ctx.detector);
  const out: HtmlPictureCase[] = [];
  for (const c of pictured) {
    const picture = c.makePicture();
    const drawn = [...runs.map((r) => r.cases.get(c.name)?.actual), golden(c)].map((outputs) => outputs && draw(ctx, anchors, outputs, picture));
    const reference = drawn[drawn.length - 1];
    const panels: HtmlPicturePanel[] = [];
    for (const [i, d] of drawn.entries()) {
      const runtime = runtimes[i]!;
      if (!d) {
        panels.push({ runtime, caption: 'not run on this case' });
        continue;
      }
      const scale = PICTURE_SIDE / Math.max(picture.image.width, picture.image.height);
      const image = await smallest((format) =>
        d.kind === 'detections'
          ? annotate(picture.image, d.detections, format, { scale, legend: false, compression: 'small' })
          : annotateLandmarks(picture.image, d.landmarks, format, { scale, compression: 'small' }),
      );
      panels.push({
        runtime,
        image,
        caption: caption(d),
        ...(i < drawn.length - 1 && reference ? { difference: difference(d, reference) } : {}),
      });
    }
    out.push({ case: c.name, description: `${c.sourceFile ?? `the ${c.name} image`}, ${picture.image.width}x${picture.image.height}`, panels });
  }
  const legend = ctx.detector?.keypoints.map((name, i) => ({ name, color: keypointColor(name, i) }));
  return { runtimes, note: what, cases: out, ...(legend ? { legend } : {}) };
}

/**
 * The smallest encoding of a picture, so a page with a dozen of them stays small: lossy WebP
 * or JPEG for the photos, PNG for the noise image (which lossy codecs cannot compress, while
 * PNG's filters remove the repeats of the enlarged pixels).
 */
async function smallest(render: (format: AnnotationFormat) => Promise<Uint8Array>): Promise<NonNullable<HtmlPicturePanel['image']>> {
  const formats = ['png', 'jpeg', 'webp'] as const;
  const encoded = await Promise.all(formats.map(render));
  const best = encoded.reduce((a, b, i) => (b.byteLength < encoded[a]!.byteLength ? i : a), 0);
  return { mime: `image/${formats[best]!}`, base64: Buffer.from(encoded[best]!).toString('base64') };
}

function draw(ctx: ModelContext, anchors: Float32Array | undefined, outputs: ReadonlyMap<string, Float32Array>, picture: GoldenPicture): Drawn | undefined {
  const projection = letterboxProjection(picture.letterbox);
  if (ctx.detector && anchors) {
    const options: PostprocessOptions = { decoding: ctx.detector.decoding, input: ctx.input, keypoints: ctx.detector.keypoints };
    const regressors = outputs.get('regressors');
    const classificators = outputs.get('classificators');
    if (regressors && classificators) return { kind: 'detections', detections: postprocess(regressors, classificators, anchors, options, projection) };
    const boxes = outputs.get('boxes');
    const scores = outputs.get('scores');
    if (boxes && scores) return { kind: 'detections', detections: postprocessDecoded({ boxes, scores }, options, projection) };
    return undefined;
  }
  const landmarks = ctx.file.entry?.landmarks;
  const points = landmarks && outputs.get(landmarks.output);
  if (!landmarks || !points) return undefined;
  const presence = landmarks.presence === undefined ? undefined : outputs.get(landmarks.presence)?.[0];
  return {
    kind: 'landmarks',
    landmarks: landmarksOf(points, landmarks.count, ctx.input, projection),
    ...(presence !== undefined && landmarks.presence !== undefined ? { presence: { output: landmarks.presence, value: presence } } : {}),
  };
}

function caption(d: Drawn): string {
  if (d.kind === 'landmarks') {
    return `${d.landmarks.length} landmarks${d.presence ? `; presence output ${d.presence.output} = ${d.presence.value.toPrecision(3)}` : ''}`;
  }
  const n = d.detections.length;
  return `${n} detection${n === 1 ? '' : 's'}${n > 0 ? `: ${d.detections.map((x) => x.score.toFixed(3)).join(', ')}` : ''}`;
}

/** Same count, and the largest distance in pixels between matching points (detections in score order; landmarks are one set). */
function difference(d: Drawn, reference: Drawn): NonNullable<HtmlPicturePanel['difference']> {
  const points = (x: Drawn): number[][] =>
    x.kind === 'landmarks'
      ? [x.landmarks.flatMap((p) => [p.xPixels, p.yPixels])]
      : x.detections.map((det) => [
          det.boxPixels.x,
          det.boxPixels.y,
          det.boxPixels.x + det.boxPixels.width,
          det.boxPixels.y + det.boxPixels.height,
          ...det.keypoints.flatMap((k) => [k.xPixels, k.yPixels]),
        ]);
  const mine = points(d);
  const theirs = points(reference);
  let maxPixels = 0;
  const matched = Math.min(mine.length, theirs.length);
  for (let i = 0; i < matched; i++) {
    for (const [j, v] of mine[i]!.entries()) maxPixels = Math.max(maxPixels, Math.abs(v - theirs[i]![j]!));
  }
  return { sameCount: mine.length === theirs.length, matched, maxPixels };
}
