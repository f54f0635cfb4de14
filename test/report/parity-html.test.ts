import { describe, expect, it } from 'vitest';
import { errorHistogram, parityHtml, type HtmlParityReport } from '../../src/report/parity-html.js';

describe('errorHistogram', () => {
  it('counts exact matches, each decade, and NaN or missing values in the last bin', () => {
    const expected = [1, 2, 3, 4, 5, 0];
    const actual = [1, 2 + 3 * 3e-7, 3 + 4 * 5e-3, NaN, 5 + 6 * 2e-12, 0];
    const h = errorHistogram(actual, expected);
    expect(h.floorExponent).toBe(-12);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(6);
    expect(h.counts[0]).toBe(2);
    // bin k holds [1e(-12+k-1), 1e(-12+k)): 2e-12 → bin 1, 3e-7 → bin 6, 5e-3 → bin 10.
    expect(h.counts[1]).toBe(1);
    expect(h.counts[6]).toBe(1);
    expect(h.counts[10]).toBe(1);
    expect(h.counts[h.counts.length - 1]).toBe(1);
    expect(errorHistogram([1, 2], [1]).counts.at(-1)).toBe(1);
  });
});

describe('parityHtml', () => {
  const report = (divergence?: string): HtmlParityReport => ({
    model: { id: 'front', file: 'front.tflite', sha256: 'ab'.repeat(32) },
    artifact: 'front ONNX',
    runtime: 'onnxruntime-node',
    rows: [{ case: '1face', output: 'regressors', maxError: 3e-6, worstIndex: 7, actual: 1, expected: 1, bound: 1e-4, ok: true }],
    histograms: [{ case: '1face', output: 'regressors', histogram: errorHistogram([1, 2], [1, 2.5]) }],
    layers: {
      case: '1face',
      tolerance: 1e-4,
      rows: [
        { node: 'n0_conv', op: 'CONV_2D', shape: [1, 64, 64, 24], maxError: 0 },
        { node: 'n1_<add>', op: 'ADD', shape: [1, 64, 64, 24], maxError: 2e-3 },
        { node: 'n2_relu', op: 'RELU', shape: [1, 64, 64, 24], maxError: 3e-3 },
      ],
      firstDivergence: divergence,
    },
  });

  it('marks the first diverging layer and fails the verdict', () => {
    const html = parityHtml(report('n1_<add>'));
    expect(html).toContain('class="divergence"');
    expect(html).toContain('first divergence: n1_&#60;add&#62; (ADD)');
    expect(html).toContain('FAILED');
    expect(html).not.toContain('<add>');
  });

  it('has no marker, fetches nothing and runs no script when every layer is within tolerance', () => {
    const html = parityHtml(report());
    expect(html).not.toContain('class="divergence"');
    expect(html).toContain('every output within its bound');
    expect(html).not.toMatch(/<script|src=|href=|url\(/);
    expect(html.match(/<svg /g)).toHaveLength(2);
  });
});
