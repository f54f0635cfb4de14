/**
 * The order test files start in. Vitest starts the files that took longest in its last run
 * first, from timings it keeps under node_modules/.vite; a clean clone (CI, after `npm ci`) has
 * none, and then it starts the largest files first. That left the pipeline fuzz, a short file
 * with 12 s of work, running alone for the last 4 s of CI's run while the other core idled.
 * Without timings, the files listed here (the slowest of a CI run, slowest first) start first;
 * the rest keep vitest's order. A stale list changes only the order, never what runs.
 */
import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

export const SLOWEST = [
  'test/web/browser.test.ts',
  'test/package/install.test.ts',
  'test/fuzz/pipeline.test.ts',
  'test/docs/adding-an-op.test.ts',
  'test/check/rebuild-from-weights.test.ts',
  'test/runtimes/onnxruntime-web/parity.test.ts',
  'test/flatbuffer/fuzz.test.ts',
  'test/emit/mlprogram/parity-fp32.test.ts',
  'test/cli/conventions.test.ts',
  'test/io/output-set.test.ts',
  'test/emit/mlprogram/parity-fp16.test.ts',
  'test/emit/coreml/parity-fp16.test.ts',
];

export default class SlowestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const path = (file: TestSpecification): string => relative(this.ctx.config.root, file.moduleId).split('\\').join('/');
    if (sorted.some((file) => this.ctx.cache.getFileTestResults(`${file.project.name}:${path(file)}`) !== undefined)) return sorted;
    const rank = (file: TestSpecification): number => {
      const at = SLOWEST.indexOf(path(file));
      return at < 0 ? SLOWEST.length : at;
    };
    return sorted
      .map((file, index) => ({ file, index, rank: rank(file) }))
      .sort((a, b) => a.rank - b.rank || a.index - b.index)
      .map(({ file }) => file);
  }
}
