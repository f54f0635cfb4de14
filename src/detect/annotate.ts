import { InputError } from '../ir/errors.js';
import type { RgbImage } from '../image/rgb-image.js';
import { forEachInkedPixel, GLYPH_HEIGHT } from './bitmap-font.js';
import type { Detection } from './detection.js';
import type { KeypointName } from '../models/keypoints.js';

export type Rgb = readonly [number, number, number];

/** Box outline and score text colour: pure green. */
export const BOX_COLOR: Rgb = [0, 255, 0];

/**
 * One colour per keypoint, chosen to differ from each other and from the box:
 * right_eye red, left_eye blue, nose_tip yellow, mouth_center magenta,
 * right_ear_tragion cyan, left_ear_tragion orange.
 */
export const KEYPOINT_COLORS: Readonly<Record<KeypointName, Rgb>> = {
  right_eye: [255, 0, 0],
  left_eye: [0, 0, 255],
  nose_tip: [255, 255, 0],
  mouth_center: [255, 0, 255],
  right_ear_tragion: [0, 255, 255],
  left_ear_tragion: [255, 128, 0],
};

/** Box outline thickness in pixels, drawn inward from the box edge. */
const BOX_THICKNESS = 2;
/** Pixels between the top of the box and the bottom of the score text. */
const TEXT_GAP = 2;

/**
 * Returns a copy of `image` with each detection drawn on it (the input is left untouched):
 * the box as a 2-pixel outline, each keypoint as a filled square in its KEYPOINT_COLORS colour,
 * and the score as a percentage ("97.3%") above the box, or just inside its top edge when the
 * box touches the top of the image. Everything is clipped to the image; a box that lies
 * partly outside is drawn along the image border. Keypoint squares and text grow with the
 * image so they stay visible on large photos.
 */
export function annotate(image: RgbImage, detections: readonly Detection[]): RgbImage {
  const { width, height } = image;
  if (image.data.length !== width * height * 3) {
    throw new InputError(`annotate: image data has ${image.data.length} bytes, expected ${width}x${height}x3`);
  }
  const out: RgbImage = { width, height, data: new Uint8Array(image.data) };
  const fill = (x0: number, y0: number, x1: number, y1: number, color: Rgb): void => {
    for (let y = Math.max(y0, 0); y <= Math.min(y1, height - 1); y++) {
      for (let x = Math.max(x0, 0); x <= Math.min(x1, width - 1); x++) out.data.set(color, (y * width + x) * 3);
    }
  };
  const keypointRadius = Math.max(1, Math.round(Math.min(width, height) / 128));
  const textScale = Math.max(1, Math.floor(Math.min(width, height) / 256));

  for (const detection of detections) {
    const { x, y, width: w, height: h } = detection.boxPixels;
    const left = Math.round(x);
    const top = Math.round(y);
    const right = Math.round(x + w) - 1;
    const bottom = Math.round(y + h) - 1;
    const visible = right >= 0 && bottom >= 0 && left < width && top < height && right >= left && bottom >= top;
    const x0 = clamp(left, 0, width - 1);
    const y0 = clamp(top, 0, height - 1);
    const x1 = clamp(right, 0, width - 1);
    const y1 = clamp(bottom, 0, height - 1);
    if (visible) {
      fill(x0, y0, x1, y0 + BOX_THICKNESS - 1, BOX_COLOR);
      fill(x0, y1 - BOX_THICKNESS + 1, x1, y1, BOX_COLOR);
      fill(x0, y0, x0 + BOX_THICKNESS - 1, y1, BOX_COLOR);
      fill(x1 - BOX_THICKNESS + 1, y0, x1, y1, BOX_COLOR);
    }

    for (const keypoint of detection.keypoints) {
      const cx = Math.round(keypoint.xPixels);
      const cy = Math.round(keypoint.yPixels);
      fill(cx - keypointRadius, cy - keypointRadius, cx + keypointRadius, cy + keypointRadius, KEYPOINT_COLORS[keypoint.name]);
    }

    if (visible) {
      const textHeight = GLYPH_HEIGHT * textScale;
      const above = y0 - TEXT_GAP - textHeight;
      const textTop = above >= 0 ? above : y0 + BOX_THICKNESS + 1;
      const label = `${(detection.score * 100).toFixed(1)}%`;
      forEachInkedPixel(label, (fx, fy) => {
        const px = x0 + fx * textScale;
        const py = textTop + fy * textScale;
        fill(px, py, px + textScale - 1, py + textScale - 1, BOX_COLOR);
      });
    }
  }
  return out;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(Math.max(v, lo), hi);
}
