/**
 * `convert --html`: the summary page's content (test/web/browser.test.ts opens one in chromium
 * and checks that it renders).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli.js';

interface ConvertJson {
  readonly html?: string;
  readonly artifacts: readonly {
    readonly name: string;
    readonly files: readonly { readonly path: string; readonly bytes: number; readonly sha256: string }[];
  }[];
  readonly parity: readonly { readonly artifact: string; readonly rows: readonly unknown[] }[];
}

describe('convert --html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'blazeface-convert-html-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the files with their sizes and sha256, the parity table and the detections on every golden image beside TFLite', async () => {
    const html = join(dir, 'summary.html');
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--format', 'coreml', '--out', join(dir, 'out'), '--html', html, '--json']);
    expect(result.status, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout) as ConvertJson;
    expect(json.html).toBe(html);
    const page = readFileSync(html, 'utf8');
    const [file] = json.artifacts[0]!.files;
    expect(page).toContain(`<code>${file!.path}</code></td><td>${file!.bytes.toLocaleString('en-US')}</td><td class="l"><code>${file!.sha256}</code>`);
    expect(page).toContain('<h2>short_range.mlmodel on Core ML reference executor</h2>');
    expect(page.match(/<td class="ok">ok<\/td>/g)).toHaveLength(json.parity[0]!.rows.length);
    expect(page).toContain('every output within its bound');
    expect(page).toContain('<th class="l">short_range.mlmodel on Core ML reference executor</th><th class="l">TFLite runtime (golden outputs)</th>');
    expect(page.match(/<tr><td class="l"><b>(1face|3faces|4faces|noise)<\/b>/g)).toHaveLength(4);
    expect(page.match(/<img src="data:image\/(png|jpeg|webp);base64,/g)).toHaveLength(8);
    expect(page).toMatch(/3 detections: [\d., ]+<br><span class="ok">vs TFLite: same count, max [\d.e+-]+ px<\/span>/);
    expect(page).toContain('<h2>Error histograms</h2>');
    expect(page).toContain('short_range.mlmodel: boxes, 4 cases');
    expect(page).not.toMatch(/<script|src="(?!data:)|href="(?!data:)/);
  });

  it('says without parity that nothing was drawn, and lists the check it skipped', async () => {
    const html = join(dir, 'no-parity.html');
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--out', join(dir, 'no-parity'), '--no-parity', '--html', html]);
    expect(result.status, result.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<li>parity against the golden outputs (--no-parity)</li>');
    expect(page).toContain('No artifact was run on the golden images here');
    expect(page).not.toContain('<img ');
  });

  it('refuses a summary inside the output folder in one line, before writing anything', async () => {
    const out = join(dir, 'inside');
    const result = await runCliInProcess(['convert', '--model', 'short_range', '--out', out, '--html', join(out, 'summary.html')]);
    expect(result.status).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^error: .*summary\.html: --html: the summary must go outside the output folder, which convert replaces as a whole$/),
    ]);
    expect(existsSync(out)).toBe(false);
  });
});
