import type { Candidate } from './decode-detections.js';

/**
 * - `weighted`: MediaPipe's WEIGHTED algorithm (the face graphs use it). Each cluster becomes
 *   one detection whose box corners and keypoints are the score-weighted means of its members
 *   and whose score is the best member's score.
 * - `weighted-mean-score`: the seed project's variant. Same clusters and same weighted box, but
 *   the score is the plain, unweighted mean of the members' scores (sum / count), so a face
 *   with many overlapping anchors scores lower than its best anchor.
 * - `hard`: MediaPipe's DEFAULT algorithm: keep the best, drop whatever overlaps a kept one.
 */
export type NmsAlgorithm = 'weighted' | 'weighted-mean-score' | 'hard';

export interface Corners {
  readonly xmin: number;
  readonly ymin: number;
  readonly xmax: number;
  readonly ymax: number;
}

/**
 * MediaPipe's INTERSECTION_OVER_UNION overlap: 0 when the boxes do not intersect or either is
 * empty (max < min); boxes that only touch along an edge intersect with zero area, so they also
 * give 0; and 0 when the union has no area (two identical zero-size boxes), never NaN.
 */
export function intersectionOverUnion(a: Corners, b: Corners): number {
  if (a.xmax < a.xmin || a.ymax < a.ymin || b.xmax < b.xmin || b.ymax < b.ymin) return 0;
  const width = Math.min(a.xmax, b.xmax) - Math.max(a.xmin, b.xmin);
  const height = Math.min(a.ymax, b.ymax) - Math.max(a.ymin, b.ymin);
  if (width < 0 || height < 0) return 0;
  const intersection = width * height;
  const union = (a.xmax - a.xmin) * (a.ymax - a.ymin) + (b.xmax - b.xmin) * (b.ymax - b.ymin) - intersection;
  return union > 0 ? intersection / union : 0;
}

/**
 * Non-maximum suppression over candidates in normalized coordinates. Overlap counts when
 * IoU > `iouThreshold` (strictly, as in MediaPipe). Returns detections sorted by score,
 * highest first.
 *
 * Candidates are visited by descending score with a stable sort, so equal scores keep their
 * input (anchor) order. MediaPipe uses std::sort, which leaves the order of ties unspecified;
 * stable order makes our output deterministic and is one of the orders MediaPipe may produce.
 *
 * One deliberate difference: MediaPipe finds a cluster's members by their IoU with the best
 * box, so a zero-area best box (IoU 0 with itself) forms no cluster, and MediaPipe then stops
 * and drops every remaining detection. Here the best box always belongs to its own cluster and
 * the loop goes on. Decoded boxes of real faces are never zero-sized, so results agree.
 *
 * Averages are computed in double precision.
 */
export function nonMaxSuppression(candidates: readonly Candidate[], algorithm: NmsAlgorithm, iouThreshold: number): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  if (algorithm === 'hard') return hardSuppression(sorted, iouThreshold);
  const merged = weightedSuppression(sorted, iouThreshold, algorithm === 'weighted-mean-score');
  // Mean scores can reorder clusters; the stable sort keeps the cluster order among ties.
  return merged.sort((a, b) => b.score - a.score);
}

function hardSuppression(sorted: readonly Candidate[], iouThreshold: number): Candidate[] {
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    if (!kept.some((k) => intersectionOverUnion(k, candidate) > iouThreshold)) kept.push(candidate);
  }
  return kept;
}

function weightedSuppression(sorted: readonly Candidate[], iouThreshold: number, meanScore: boolean): Candidate[] {
  const out: Candidate[] = [];
  let remaining = sorted;
  while (remaining.length > 0) {
    const best = remaining[0]!;
    const cluster: Candidate[] = [best];
    const rest: Candidate[] = [];
    for (const other of remaining.slice(1)) {
      (intersectionOverUnion(other, best) > iouThreshold ? cluster : rest).push(other);
    }
    out.push(mergeCluster(best, cluster, meanScore));
    remaining = rest;
  }
  return out;
}

function mergeCluster(best: Candidate, cluster: readonly Candidate[], meanScore: boolean): Candidate {
  // A lone detection is returned as is: x * s / s need not give back x exactly.
  if (cluster.length === 1) return best;
  let total = 0;
  let xmin = 0;
  let ymin = 0;
  let xmax = 0;
  let ymax = 0;
  const keypoints = new Float64Array(best.keypoints.length);
  for (const member of cluster) {
    const s = member.score;
    total += s;
    xmin += member.xmin * s;
    ymin += member.ymin * s;
    xmax += member.xmax * s;
    ymax += member.ymax * s;
    member.keypoints.forEach((v, i) => {
      keypoints[i] = keypoints[i]! + v * s;
    });
  }
  return {
    anchorIndex: best.anchorIndex,
    score: meanScore ? total / cluster.length : best.score,
    xmin: xmin / total,
    ymin: ymin / total,
    xmax: xmax / total,
    ymax: ymax / total,
    keypoints: Array.from(keypoints, (v) => v / total),
  };
}
