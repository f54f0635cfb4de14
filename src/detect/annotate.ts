/**
 * Annotated pictures: an SVG overlay (boxes, keypoints, score labels, a legend of the keypoint
 * names) that librsvg renders and sharp composites onto the image. Sizes follow the image, so
 * labels stay readable on a 128-pixel crop and on a 50-megapixel photo alike.
 *
 * The legend sits in a strip added below the image rather than on it, where it would hide
 * faces on small pictures. A picture under 512 pixels on its shorter side is enlarged by a
 * whole factor (nearest neighbour, so its pixels stay as they are) before drawing: on a
 * 128-pixel image, labels of neighbouring faces would otherwise cover each other. Box
 * coordinates in the annotated file are the detections' times that factor.
 */
import { loadSharp } from '../image/sharp.js';
import { InputError } from '../ir/errors.js';
import type { RgbImage } from '../image/rgb-image.js';
import { KEYPOINT_NAMES, type FaceKeypointName, type KeypointName } from '../models/keypoints.js';
import type { Detection } from './detection.js';
import type { Landmark } from './landmarks.js';

/** Box outline and label background. */
export const BOX_COLOR = '#00ff00';

/**
 * One colour per keypoint, apart from each other and from the box: right_eye red, left_eye
 * blue, nose_tip yellow, mouth_center magenta, right_ear_tragion cyan, left_ear_tragion orange.
 */
export const KEYPOINT_COLORS: Readonly<Record<FaceKeypointName, string>> = {
  right_eye: '#ff0000',
  left_eye: '#0000ff',
  nose_tip: '#ffff00',
  mouth_center: '#ff00ff',
  right_ear_tragion: '#00ffff',
  left_ear_tragion: '#ff8000',
};

/** Keypoints of other families take these colours by position (the palm's 7: wrist red, then the knuckles, then the thumb). */
const KEYPOINT_PALETTE: readonly string[] = ['#ff0000', '#0000ff', '#ffff00', '#ff00ff', '#00ffff', '#ff8000', '#8000ff', '#ffffff'];

/** A keypoint's colour: BlazeFace's by name, any other by its position in the model's order. */
export function keypointColor(name: KeypointName, index: number): string {
  return (KEYPOINT_COLORS as Readonly<Record<string, string>>)[name] ?? (KEYPOINT_PALETTE[index % KEYPOINT_PALETTE.length] as string);
}

/** The keypoint names the legend lists: those of the detections, BlazeFace's when there are none. */
function legendNames(detections: readonly Detection[]): readonly KeypointName[] {
  return detections[0]?.keypoints.map((k) => k.name) ?? KEYPOINT_NAMES;
}

/** Background of the legend strip. */
export const LEGEND_BACKGROUND = '#202020';

export type AnnotationFormat = 'png' | 'jpeg' | 'webp';

/** The sizes everything is drawn at, from the image's shorter side. */
export interface AnnotationMetrics {
  readonly fontSize: number;
  readonly stroke: number;
  readonly keypointRadius: number;
  /** Height of the legend strip below the image. */
  readonly legendHeight: number;
}

const FONT = 'font-family="DejaVu Sans Mono, Menlo, Consolas, monospace"';
/** Advance of one character of a monospace font, in ems (DejaVu Sans Mono: 0.602). */
const CHAR_WIDTH = 0.62;
const LINE = 1.5;

/** Shorter side below which the annotated copy is enlarged. */
const MIN_SIDE = 512;
const MAX_SCALE = 8;

/** The whole factor a `width` x `height` image is enlarged by in its annotated copy. */
export function annotationScale(width: number, height: number): number {
  return Math.min(MAX_SCALE, Math.max(1, Math.ceil(MIN_SIDE / Math.min(width, height))));
}

/** Sizes for drawing on a picture of `width` x `height` (the annotated copy, after enlarging) with a legend of `names`. */
export function annotationMetrics(width: number, height: number, names: readonly KeypointName[] = KEYPOINT_NAMES): AnnotationMetrics {
  const side = Math.min(width, height);
  const fontSize = Math.max(11, Math.round(side / 32));
  const stroke = Math.max(2, Math.round(fontSize / 7));
  const keypointRadius = Math.max(2, fontSize / 4);
  const rows = legendLayout(width, fontSize, names).length;
  return { fontSize, stroke, keypointRadius, legendHeight: Math.ceil(rows * fontSize * LINE + fontSize * 0.5) };
}

/**
 * The overlay for a picture of `width` x `height` (the annotated copy) whose detections are
 * in pixels of an image `scale` times smaller; with the legend, the SVG is legendHeight taller
 * than the picture.
 */
export function annotationSvg(width: number, height: number, detections: readonly Detection[], scale = 1, legend = true): string {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new InputError(`annotate: image size ${width}x${height} must be positive integers`);
  }
  const names = legendNames(detections);
  const m = annotationMetrics(width, height, names);
  const legendHeight = legend ? m.legendHeight : 0;
  const n = (v: number): string => String(Math.round(v * 100) / 100);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height + legendHeight}" viewBox="0 0 ${width} ${height + legendHeight}">`,
    `<defs><clipPath id="image"><rect width="${width}" height="${height}"/></clipPath></defs>`,
    '<g clip-path="url(#image)">',
  ];
  detections.forEach((d, index) => {
    const b = { x: d.boxPixels.x * scale, y: d.boxPixels.y * scale, width: d.boxPixels.width * scale, height: d.boxPixels.height * scale };
    // The outline runs inside the box, so the box's edge pixels are drawn in full.
    const inset = m.stroke / 2;
    parts.push(
      `<rect x="${n(b.x + inset)}" y="${n(b.y + inset)}" width="${n(Math.max(b.width - m.stroke, 0))}" height="${n(Math.max(b.height - m.stroke, 0))}" fill="none" stroke="${BOX_COLOR}" stroke-width="${m.stroke}"/>`,
    );
    d.keypoints.forEach((k, i) => {
      parts.push(
        `<circle cx="${n(k.xPixels * scale)}" cy="${n(k.yPixels * scale)}" r="${n(m.keypointRadius)}" fill="${keypointColor(k.name, i)}" stroke="#000000" stroke-width="${n(m.keypointRadius / 3)}"/>`,
      );
    });
    const label = `${index + 1}: ${(d.score * 100).toFixed(1)}%`;
    const labelWidth = label.length * CHAR_WIDTH * m.fontSize + m.fontSize * 0.5;
    const labelHeight = m.fontSize * 1.3;
    // Above the box when it fits, else just inside its top edge; never off the left or right.
    const x = Math.min(Math.max(b.x, 0), Math.max(width - labelWidth, 0));
    const y = b.y - labelHeight >= 0 ? b.y - labelHeight : Math.max(b.y, 0);
    parts.push(
      `<rect x="${n(x)}" y="${n(y)}" width="${n(labelWidth)}" height="${n(labelHeight)}" fill="${BOX_COLOR}"/>`,
      `<text x="${n(x + m.fontSize * 0.25)}" y="${n(y + m.fontSize * 1.02)}" ${FONT} font-size="${m.fontSize}" fill="#000000">${label}</text>`,
    );
  });
  parts.push('</g>');
  (legend ? legendLayout(width, m.fontSize, names) : []).forEach((row, r) => {
    const y = height + m.fontSize * (0.5 + LINE * r);
    for (const { name, index, x } of row) {
      parts.push(
        `<circle cx="${n(x + m.fontSize * 0.5)}" cy="${n(y + m.fontSize * 0.6)}" r="${n(m.fontSize * 0.4)}" fill="${keypointColor(name, index)}"/>`,
        `<text x="${n(x + m.fontSize * 1.2)}" y="${n(y + m.fontSize * 0.95)}" ${FONT} font-size="${m.fontSize}" fill="#ffffff">${name}</text>`,
      );
    }
  });
  parts.push('</svg>');
  return parts.join('\n');
}

/** Legend entries flowed into rows that fit the width: each entry is a dot and the name. */
function legendLayout(width: number, fontSize: number, names: readonly KeypointName[]): { name: KeypointName; index: number; x: number }[][] {
  const rows: { name: KeypointName; index: number; x: number }[][] = [[]];
  let x = fontSize * 0.5;
  for (const [index, name] of names.entries()) {
    const entry = (name.length * CHAR_WIDTH + 2.2) * fontSize;
    if (x + entry > width && rows[rows.length - 1]!.length > 0) {
      rows.push([]);
      x = fontSize * 0.5;
    }
    rows[rows.length - 1]!.push({ name, index, x });
    x += entry;
  }
  return rows;
}

/**
 * The image resized by `scale` (by default annotationScale's whole factor) with the overlay
 * composited and the legend strip below it, encoded as `format`. The input pixels are not
 * modified.
 */
export async function annotate(
  image: RgbImage,
  detections: readonly Detection[],
  format: AnnotationFormat = 'png',
  options: AnnotateOptions = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? annotationScale(image.width, image.height);
  const [width, height] = scaledSize(image, scale);
  const legendHeight = options.legend === false ? 0 : annotationMetrics(width, height, legendNames(detections)).legendHeight;
  return compose(image, width, height, annotationSvg(width, height, detections, scale, options.legend ?? true), legendHeight, format, options.compression);
}

export interface AnnotateOptions {
  /** The factor the picture is resized by; default annotationScale's whole factor. */
  readonly scale?: number;
  /** The strip of keypoint names below the picture; default true. Pages that show several pictures name the colours once. */
  readonly legend?: boolean;
  /** PNG only: 'small' spends more time for a smaller file (zlib level 9 rather than 6), for pictures embedded in a page. */
  readonly compression?: 'fast' | 'small';
}

/** Landmark dots: one colour, small enough for 468 points of a face mesh to stay apart. */
export const LANDMARK_COLOR = '#00ff00';

/** The overlay of a landmark model's points (pixels of an image `scale` times smaller) on a `width` x `height` picture. */
export function landmarkSvg(width: number, height: number, landmarks: readonly Landmark[], scale = 1): string {
  const radius = Math.max(1, Math.min(width, height) / 160);
  const n = (v: number): string => String(Math.round(v * 100) / 100);
  const dots = landmarks.map(
    (p) =>
      `<circle cx="${n(p.xPixels * scale)}" cy="${n(p.yPixels * scale)}" r="${n(radius)}" fill="${LANDMARK_COLOR}" stroke="#000000" stroke-width="${n(radius / 3)}"/>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">\n${dots.join('\n')}\n</svg>`;
}

/** A landmark model's points drawn on the image resized by `scale`, encoded as `format`. */
export async function annotateLandmarks(
  image: RgbImage,
  landmarks: readonly Landmark[],
  format: AnnotationFormat = 'png',
  options: Pick<AnnotateOptions, 'scale' | 'compression'> = {},
): Promise<Uint8Array> {
  const scale = options.scale ?? annotationScale(image.width, image.height);
  const [width, height] = scaledSize(image, scale);
  return compose(image, width, height, landmarkSvg(width, height, landmarks, scale), 0, format, options.compression);
}

function scaledSize(image: RgbImage, scale: number): [number, number] {
  if (image.data.length !== image.width * image.height * 3) {
    throw new InputError(`annotate: image data has ${image.data.length} bytes, expected ${image.width}x${image.height}x3`);
  }
  if (!(scale > 0 && Number.isFinite(scale))) throw new InputError(`annotate: scale ${scale} must be a positive number`);
  return [Math.max(1, Math.round(image.width * scale)), Math.max(1, Math.round(image.height * scale))];
}

/**
 * The image resized to `width` x `height` (nearest neighbour for a whole enlargement, so pixels
 * stay as they are; Lanczos otherwise), a strip of `legendHeight` below it, the overlay on top.
 */
async function compose(
  image: RgbImage,
  width: number,
  height: number,
  svg: string,
  legendHeight: number,
  format: AnnotationFormat,
  compression: AnnotateOptions['compression'] = 'fast',
): Promise<Uint8Array> {
  const whole = width % image.width === 0 && height % image.height === 0 && width >= image.width;
  const pixels = Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  const sharp = await loadSharp();
  const composed = sharp(pixels, { raw: { width: image.width, height: image.height, channels: 3 }, limitInputPixels: false })
    .resize(width, height, { kernel: whole ? 'nearest' : 'lanczos3', fit: 'fill' })
    .extend({ bottom: legendHeight, background: LEGEND_BACKGROUND })
    .composite([{ input: Buffer.from(svg), top: 0, left: 0, limitInputPixels: false }])
    .removeAlpha();
  const encoded =
    format === 'png'
      ? composed.png({ compressionLevel: compression === 'small' ? 9 : 6 })
      : format === 'jpeg'
        ? composed.jpeg({ quality: 90, chromaSubsampling: '4:4:4' })
        : composed.webp({ quality: 90 });
  return new Uint8Array(await encoded.toBuffer());
}
