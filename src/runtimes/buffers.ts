/**
 * The float32 buffers of one model run, shared by both Core ML executors. A value's buffer goes
 * back to the pool once the last layer (or op) reading it has run, and later ones take their
 * outputs from the pool: a fresh multi-megabyte array per layer costs page faults and garbage
 * collections that outweigh the arithmetic of many layers.
 */

/** Free arrays by length. A caller may hand one set to the pools of successive runs of a model. */
export type SpareBuffers = Map<number, Float32Array[]>;

export class BufferPool {
  /** Live blobs per underlying buffer: reshapes share their input's data. */
  private readonly holders = new Map<ArrayBufferLike, number>();
  private readonly pinned = new Set<ArrayBufferLike>();

  /**
   * `free` starts out with the arrays an earlier run released, if the caller keeps them: never
   * an array it returned, since only released arrays go there and a run releases no output.
   */
  constructor(private readonly free: SpareBuffers = new Map()) {}

  /** A zero-filled array of `length` floats. */
  take(length: number): Float32Array {
    const reused = this.free.get(length)?.pop();
    if (!reused) return new Float32Array(length);
    reused.fill(0);
    return reused;
  }

  /** An array of `length` floats holding leftovers, for an output the caller writes whole. */
  takeForOverwrite(length: number): Float32Array {
    return this.free.get(length)?.pop() ?? new Float32Array(length);
  }

  /** Data the pool must never hand out again (the caller's inputs). */
  pin(data: Float32Array): void {
    this.pinned.add(data.buffer);
  }

  /** A blob now refers to `data`. */
  hold(data: Float32Array): void {
    this.holders.set(data.buffer, (this.holders.get(data.buffer) ?? 0) + 1);
  }

  /** A blob that referred to `data` is finished with; the last one frees the buffer. */
  release(data: Float32Array): void {
    const left = (this.holders.get(data.buffer) ?? 0) - 1;
    this.holders.set(data.buffer, left);
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength;
    if (left > 0 || !whole || this.pinned.has(data.buffer)) return;
    const list = this.free.get(data.length);
    if (list) list.push(data);
    else this.free.set(data.length, [data]);
  }
}
