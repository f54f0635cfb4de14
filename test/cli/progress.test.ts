import { describe, expect, it } from 'vitest';
import { Progress } from '../../src/cli/progress.js';

function stream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, columns: 80, chunks, write: (t: string) => chunks.push(t), text: () => chunks.join('') };
}

describe('Progress', () => {
  it('writes one plain line per file when stderr is not a terminal', () => {
    const err = stream(false);
    const progress = new Progress(2, err);
    progress.start('a.jpg');
    progress.done();
    progress.start('b.jpg');
    progress.done();
    progress.finish();
    expect(err.text()).toBe('[1/2] a.jpg\n[2/2] b.jpg\n');
  });

  it('shows nothing for a single file', () => {
    const err = stream(true);
    const progress = new Progress(1, err);
    progress.start('a.jpg');
    progress.done();
    progress.finish();
    expect(err.text()).toBe('');
  });

  it('draws a bar with count, rate and time left on a terminal, and prints above it', () => {
    const err = stream(true);
    const out = stream(true);
    let now = 0;
    const progress = new Progress(10, err, () => now);
    progress.start('a.jpg');
    now = 2000;
    progress.done();
    progress.print(out, 'a.jpg: 1 face\n');
    now = 4000;
    progress.start('b.jpg');
    progress.done();
    // 2 of 10 in 4 s: 0.5 images/s, 8 left, 16 s.
    expect(progress.line()).toMatch(/^\[#{8}\.{32}\] 2\/10 20% {2}0\.5 img\/s {2}ETA 16s$/);
    expect(out.text()).toBe('a.jpg: 1 face\n');
    // The bar is cleared before the printed line and redrawn after it.
    const printedAt = err.chunks.indexOf('\r\x1b[K');
    expect(printedAt).toBeGreaterThan(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the bar is drawn with escape sequences
    expect(err.chunks[printedAt + 1]).toMatch(/^\r\x1b\[K\[#+\.+\] 1\/10/);
    progress.finish();
    expect(err.text().endsWith('\n')).toBe(true);
  });

  it('says minutes and hours in the estimate', () => {
    let now = 0;
    const progress = new Progress(1000, stream(true), () => now);
    progress.done();
    now = 1000;
    expect(progress.line()).toMatch(/ETA 16m39s$/);
    now = 10_000;
    expect(progress.line()).toMatch(/ETA 2h46m$/);
  });
});
