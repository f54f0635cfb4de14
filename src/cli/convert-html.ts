import { dirname, resolve } from 'node:path';
import type { ModelContext } from '../convert/model-context.js';
import { selectGoldenCases } from '../check/golden.js';
import { goldenPictures, runHistograms, type ObservedRun } from '../check/report-data.js';
import type { LoadedModelFile, ModelEntry } from '../models/registry.js';
import { parityHtml, type HtmlArtifact, type HtmlPictures } from '../report/parity-html.js';
import { writeFileAtomically } from '../io/write-files.js';
import { writingTo, type Printer } from './common.js';
import type { ParityJson } from './parity-table.js';

/** What one artifact's parity run computed, kept for the HTML summary. */
export interface ArtifactRun {
  readonly artifact: string;
  readonly run: ObservedRun;
}

export interface ConvertSummary {
  readonly ctx: ModelContext;
  readonly file: LoadedModelFile;
  readonly formats: readonly string[];
  readonly artifacts: readonly HtmlArtifact[];
  readonly parity: readonly ParityJson[];
  readonly runs: readonly ArtifactRun[];
}

/** Writes convert's `--html` summary to `target` and says so. */
export async function writeConvertHtml(target: string, summary: ConvertSummary, printer: Printer): Promise<void> {
  const { ctx, file, runs } = summary;
  const pictures =
    file.entry && runs.length > 0
      ? await goldenPictures(
          ctx,
          selectGoldenCases(file.entry).cases,
          runs.map((r) => r.run),
        )
      : undefined;
  const html = parityHtml({
    title: `${file.name}: converted to ${summary.formats.join(', ')}`,
    model: { id: file.entry?.id ?? file.name, file: file.path, sha256: file.sha256 },
    artifacts: summary.artifacts,
    tables: summary.parity.map((p) => ({ artifact: p.artifact, runtime: p.runtime, rows: p.rows })),
    histograms: runs.flatMap((r) => runHistograms(r.run, { prefix: `${r.artifact}: `, perOutput: true })),
    pictures: pictures ?? noPictures(file.entry),
    skipped: printer.skipped,
  });
  writingTo(dirname(resolve(target)), () => writeFileAtomically(target, html));
  printer.line(`wrote ${target}`);
}

/** The page's line when there is nothing to draw: no golden outputs, or no runtime ran. */
function noPictures(entry: ModelEntry | undefined): HtmlPictures {
  return {
    runtimes: [],
    note: entry
      ? 'No artifact was run on the golden images here (see the lines above), so there are no detections to draw.'
      : 'This file matches no registry model, so there are no golden images to draw detections on.',
    cases: [],
  };
}
