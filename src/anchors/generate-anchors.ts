import type { Anchor } from './anchor.js';
import type { AnchorOptions } from './options.js';
import { resolveAnchorOptions, type AnchorPlan, type MultiscalePlan, type SsdPlan } from './resolve-options.js';
import { LimitError } from '../ir/errors.js';
import { groupDigits } from '../ir/digits.js';

// MediaPipe computes in float32. Rounding each double result to float32 reproduces a float32
// operation exactly for + - * / and sqrt (a double holds more than twice float32's precision),
// so wrapping every step in f32 gives MediaPipe's bits, not just nearby values.
const f32 = Math.fround;

/**
 * More than any MediaPipe model uses (the largest has 2,304) by far, and small enough that a
 *160-byte configuration cannot ask for gigabytes of anchors.
 */
export const DEFAULT_MAX_ANCHORS = 2 ** 20;

/**
 * The anchor table MediaPipe's SsdAnchorsCalculator produces for these options, in its order.
 * Throws AnchorOptionsError (naming the option) for options MediaPipe would reject, crash on,
 * or silently ignore, and LimitError when the table would hold more than `maxAnchors` anchors
 * (counted before any is made).
 */
export function generateAnchors(options: AnchorOptions, maxAnchors = DEFAULT_MAX_ANCHORS): Anchor[] {
  const plan = resolveAnchorOptions(options);
  const count = anchorCount(plan);
  if (count > maxAnchors) throw new LimitError(`${groupDigits(maxAnchors)} anchors`, '--max-anchors', `the options make ${groupDigits(count)} anchors`);
  switch (plan.mode) {
    case 'fixed':
      return plan.anchors.map((a) => ({ ...a }));
    case 'ssd':
      return ssdAnchors(plan);
    case 'multiscale':
      return multiscaleAnchors(plan);
  }
}

/** How many anchors `plan` makes, without making them. */
export function anchorCount(plan: AnchorPlan): number {
  switch (plan.mode) {
    case 'fixed':
      return plan.anchors.length;
    case 'ssd':
      return plan.groups.reduce((sum, group) => {
        const perCell = group.layers.reduce(
          (n, layer) => n + (layer === 0 && plan.reduceBoxesInLowestLayer ? 3 : plan.aspectRatios.length + (plan.interpolatedScaleAspectRatio > 0 ? 1 : 0)),
          0,
        );
        return sum + group.height * group.width * perCell;
      }, 0);
    case 'multiscale':
      return plan.levels.reduce((sum, level) => sum + level.height * level.width * plan.aspectRatios.length * plan.scalesPerOctave, 0);
  }
}

interface BoxSize {
  readonly w: number;
  readonly h: number;
}

function ssdAnchors(plan: SsdPlan): Anchor[] {
  const anchors: Anchor[] = [];
  for (const group of plan.groups) {
    // Layers merged into one feature map contribute their boxes to every cell, layer by layer.
    const boxes = group.layers.flatMap((layer) => layerBoxes(plan, layer));
    for (let y = 0; y < group.height; y++) {
      for (let x = 0; x < group.width; x++) {
        const xCenter = f32(f32(x + plan.anchorOffsetX) / group.width);
        const yCenter = f32(f32(y + plan.anchorOffsetY) / group.height);
        for (const box of boxes) {
          anchors.push(plan.fixedAnchorSize ? { xCenter, yCenter, w: 1, h: 1 } : { xCenter, yCenter, ...box });
        }
      }
    }
  }
  return anchors;
}

function layerBoxes(plan: SsdPlan, layer: number): BoxSize[] {
  const scale = layerScale(plan, layer);
  if (layer === 0 && plan.reduceBoxesInLowestLayer) {
    return [boxSize(f32(0.1), 1), boxSize(scale, 2), boxSize(scale, 0.5)];
  }
  const boxes = plan.aspectRatios.map((ratio) => boxSize(scale, ratio));
  if (plan.interpolatedScaleAspectRatio > 0) {
    const next = layer === plan.numLayers - 1 ? 1 : layerScale(plan, layer + 1);
    boxes.push(boxSize(f32(Math.sqrt(f32(scale * next))), plan.interpolatedScaleAspectRatio));
  }
  return boxes;
}

/** MediaPipe's CalculateScale: linear from min to max over the layers, or their mean for one layer. */
function layerScale(plan: SsdPlan, layer: number): number {
  if (plan.numLayers === 1) return f32(f32(plan.minScale + plan.maxScale) * 0.5);
  // Here MediaPipe's expression is promoted to double (a `* 1.0`), rounded to float once at the end.
  return f32(plan.minScale + (f32(plan.maxScale - plan.minScale) * layer) / (plan.numLayers - 1));
}

function boxSize(scale: number, aspectRatio: number): BoxSize {
  const ratioSqrt = f32(Math.sqrt(aspectRatio));
  return { w: f32(scale * ratioSqrt), h: f32(scale / ratioSqrt) };
}

function multiscaleAnchors(plan: MultiscalePlan): Anchor[] {
  const scales = Array.from({ length: plan.scalesPerOctave }, (_, k) => f32(2 ** (k / plan.scalesPerOctave)));
  const anchors: Anchor[] = [];
  for (const { level, height, width } of plan.levels) {
    const stride = f32(2 ** level);
    const base = f32(stride * plan.anchorScale);
    // Centres sit mid-cell only when the input divides evenly by the stride (TF Object
    // Detection's multiscale_grid_anchor_generator, which MediaPipe follows).
    const offsetY = plan.inputSizeHeight % 2 ** level === 0 || plan.inputSizeHeight === 1 ? f32(stride / 2) : 0;
    const offsetX = plan.inputSizeWidth % 2 ** level === 0 || plan.inputSizeWidth === 1 ? f32(stride / 2) : 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (const ratio of plan.aspectRatios) {
          const ratioSqrt = f32(Math.sqrt(ratio));
          for (const scale of scales) {
            const anchor = {
              xCenter: f32(f32(x * stride) + offsetX),
              yCenter: f32(f32(y * stride) + offsetY),
              w: f32(f32(scale * ratioSqrt) * base),
              h: f32(f32(scale * base) / ratioSqrt),
            };
            anchors.push(plan.normalizeCoordinates ? normalize(anchor, plan) : anchor);
          }
        }
      }
    }
  }
  return anchors;
}

function normalize(a: Anchor, plan: MultiscalePlan): Anchor {
  return {
    xCenter: f32(a.xCenter / plan.inputSizeWidth),
    yCenter: f32(a.yCenter / plan.inputSizeHeight),
    w: f32(a.w / plan.inputSizeWidth),
    h: f32(a.h / plan.inputSizeHeight),
  };
}
