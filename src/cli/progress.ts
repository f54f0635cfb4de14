/**
 * Progress of a run over several files on stderr. On a terminal: one bar line, redrawn in
 * place at most every 100 ms, with the count, the rate and the time left; whatever else is
 * printed meanwhile appears above it. Elsewhere (a pipe, a log file, CI): a plain
 * `[i/n] file` line as each file starts, which reads well in a log. A single file shows none.
 */

export interface ProgressStream {
  readonly isTTY?: boolean;
  readonly columns?: number;
  write(text: string): unknown;
}

const REDRAW_MS = 100;
const CLEAR_LINE = '\r\x1b[K';

export class Progress {
  private finished = 0;
  private index = 0;
  private readonly startedAt: number;
  private lastDraw = -Infinity;
  private drawn = false;

  constructor(
    private readonly total: number,
    private readonly stream: ProgressStream,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.startedAt = now();
  }

  private get active(): boolean {
    return this.total > 1;
  }

  private get bar(): boolean {
    return this.active && this.stream.isTTY === true;
  }

  /** A file begins. */
  start(file: string): void {
    this.index++;
    if (!this.active) return;
    if (this.bar) this.draw(false);
    else this.stream.write(`[${this.index}/${this.total}] ${file}\n`);
  }

  /** A file is done, whether it succeeded or failed. */
  done(): void {
    this.finished++;
    if (this.bar) this.draw(this.finished === this.total);
  }

  /** Writes `text` to `to` without tearing the bar: it is cleared first and drawn again after. */
  print(to: ProgressStream, text: string): void {
    if (this.bar && this.drawn) {
      this.stream.write(CLEAR_LINE);
      this.drawn = false;
    }
    to.write(text);
    if (this.bar) this.draw(true);
  }

  /** Ends the bar's line, so the shell prompt starts on its own line. */
  finish(): void {
    if (!this.bar) return;
    this.draw(true);
    this.stream.write('\n');
    this.drawn = false;
  }

  /** The bar's text for the current state (without control characters). */
  line(): string {
    const elapsed = (this.now() - this.startedAt) / 1000;
    const rate = elapsed > 0 ? this.finished / elapsed : 0;
    const left = this.total - this.finished;
    const eta = this.finished > 0 && rate > 0 ? formatSeconds(left / rate) : '?';
    const counts = `${this.finished}/${this.total}`;
    const tail = ` ${counts} ${Math.floor((100 * this.finished) / this.total)}%  ${rate.toFixed(1)} img/s  ETA ${eta}`;
    const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - tail.length - 3));
    const filled = Math.round((width * this.finished) / this.total);
    return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]${tail}`;
  }

  private draw(force: boolean): void {
    const now = this.now();
    if (!force && now - this.lastDraw < REDRAW_MS) return;
    this.lastDraw = now;
    this.stream.write(`${CLEAR_LINE}${this.line()}`);
    this.drawn = true;
  }
}

function formatSeconds(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
