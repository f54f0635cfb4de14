import { describe, expect, it } from 'vitest';
import { errorHistogram, type HtmlParityReport, type HtmlPictures, mergeHistograms, parityHtml } from '../../src/report/parity-html.js';

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

  it('merges histograms bin by bin', () => {
    const a = errorHistogram([1, 2], [1, 2 + 3 * 3e-7]);
    const b = errorHistogram([1, NaN], [1, 1]);
    const merged = mergeHistograms([a, b]);
    expect(merged.counts).toEqual(a.counts.map((count, i) => count + b.counts[i]!));
    expect(merged.counts.reduce((x, y) => x + y, 0)).toBe(4);
  });
});

describe('parityHtml', () => {
  const pictures: HtmlPictures = {
    runtimes: ['ONNX on onnxruntime-node', 'TFLite runtime (golden outputs)'],
    note: 'Faces with score ≥ 0.5',
    legend: [{ name: 'right_eye', color: '#ff0000' }],
    cases: [
      {
        case: '3faces',
        description: '3faces.png, 128x128',
        panels: [
          {
            runtime: 'ONNX',
            image: { mime: 'image/webp', base64: 'UklGRg==' },
            caption: '2 detections',
            difference: { sameCount: false, matched: 2, maxPixels: 2e-6 },
          },
          { runtime: 'TFLite', image: { mime: 'image/png', base64: 'iVBORw==' }, caption: '3 detections' },
        ],
      },
      {
        case: 'noise',
        description: 'the noise image',
        panels: [
          {
            runtime: 'ONNX',
            image: { mime: 'image/png', base64: 'iVBORw==' },
            caption: '0 detections',
            difference: { sameCount: true, matched: 0, maxPixels: 0 },
          },
          { runtime: 'TFLite', caption: 'not run on this case' },
        ],
      },
    ],
  };
  const report = (divergence?: string, extra: Partial<HtmlParityReport> = {}): HtmlParityReport => ({
    title: 'front: front ONNX vs TFLite',
    model: { id: 'front', file: 'front.tflite', sha256: 'ab'.repeat(32) },
    tables: [
      {
        artifact: 'front ONNX',
        runtime: 'onnxruntime-node',
        rows: [{ case: '1face', output: 'regressors', maxError: 3e-6, worstIndex: 7, actual: 1, expected: 1, bound: 1e-4, ok: true }],
      },
    ],
    histograms: [{ label: '1face regressors', histogram: errorHistogram([1, 2], [1, 2.5]) }],
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
    ...extra,
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
    expect(html).toContain('run on onnxruntime-node');
    expect(html).not.toMatch(/<script|src="(?!data:)|href="(?!data:)|url\(/);
    expect(html.match(/<svg /g)).toHaveLength(2);
  });

  it('fails the verdict when a row of any table fails', () => {
    const failing = report(undefined, {
      tables: [
        ...report().tables,
        {
          artifact: 'front.mlmodel',
          runtime: 'Core ML reference executor',
          rows: [{ case: 'noise', output: 'boxes', maxError: null, worstIndex: -1, actual: 3, expected: 4, bound: 1e-4, ok: false }],
        },
      ],
    });
    const html = parityHtml(failing);
    expect(html).toContain('FAILED');
    expect(html).toContain('<h2>front.mlmodel on Core ML reference executor</h2>');
    expect(html).toContain('<td>∞</td>');
    expect(html).not.toContain('run on onnxruntime-node');
  });

  it('puts each golden image in a row with one embedded picture per runtime, the keypoint legend once, and the difference from TFLite', () => {
    const html = parityHtml(report(undefined, { pictures }));
    expect(html).toContain('<img src="data:image/webp;base64,UklGRg==" alt="3faces, ONNX: 2 detections">');
    expect(html).toContain('<img src="data:image/png;base64,iVBORw=="');
    expect(html.match(/<img /g)).toHaveLength(3);
    expect(html).toContain('<span class="ok">vs TFLite: same count</span>');
    expect(html.match(/<tr><td class="l"><b>/g)).toHaveLength(2);
    expect(html).toContain('<span class="fail">vs TFLite: count differs, max 2.0e-6 px on the common ones</span>');
    expect(html).toContain('not run on this case');
    expect(html.match(/right_eye/g)).toHaveLength(1);
    expect(html).toContain('<th class="l">TFLite runtime (golden outputs)</th>');
  });

  it('says why there are no pictures', () => {
    const html = parityHtml(report(undefined, { pictures: { runtimes: [], note: 'no detections to draw', cases: [] } }));
    expect(html).toContain('<p>no detections to draw</p>');
    expect(html).not.toContain('<table class="pictures">');
  });

  it('lists the files convert wrote, a folder of many files folded under its total, and the skipped checks', () => {
    const file = (i: number) => ({ path: `out/front/front.weights/${i}.bin`, bytes: 1000 + i, sha256: String(i).repeat(64).slice(0, 64) });
    const html = parityHtml(
      report(undefined, {
        artifacts: [
          { format: 'onnx', name: 'front.onnx', files: [{ path: 'out/front/front.onnx', bytes: 423256, sha256: 'cd'.repeat(32) }] },
          { format: 'weights', name: 'front.weights/', files: [0, 1, 2, 3, 4].map(file) },
        ],
        skipped: ['golden cases sin: golden outputs not installed'],
      }),
    );
    expect(html).toContain('<code>out/front/front.onnx</code></td><td>423,256</td>');
    expect(html).toContain('<summary><code>front.weights/</code>: 5 files, 5,010 bytes in all</summary>');
    expect(html.match(/<code>out\/front\/front\.weights\/\d\.bin<\/code>/g)).toHaveLength(5);
    expect(html).toContain('<li>golden cases sin: golden outputs not installed</li>');
  });
});
