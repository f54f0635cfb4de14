/**
 * The float32 arrays a loaded program's runs compute into. An op's output takes an array from
 * here; once the last op reading the value has run, the array comes back for a later op, of this
 * run or the next. The pool lives as long as the loaded program, so a program run on many inputs
 * stops allocating after its first run: a fresh multi-megabyte array per op costs page faults
 * and garbage collections that outweigh the arithmetic of many ops. Only arrays the pool made
 * come back (never a constant's or the caller's), and the program's outputs never do: they
 * belong to the caller.
 */
export class ArrayPool {
  private readonly free = new Map<number, Float32Array[]>();
  private readonly made = new WeakSet<Float32Array>();

  /** A zero-filled array of `length` floats. */
  take(length: number): Float32Array {
    return this.free.get(length)?.pop()?.fill(0) ?? this.make(length);
  }

  /**
   * An array of `length` floats that may hold an earlier op's values, for an output the op
   * writes whole: zero-filling it first would be a pass over the memory that buys nothing.
   */
  takeForOverwrite(length: number): Float32Array {
    return this.free.get(length)?.pop() ?? this.make(length);
  }

  private make(length: number): Float32Array {
    const data = new Float32Array(length);
    this.made.add(data);
    return data;
  }

  /** Whether `data` is an array this pool made (and so may take back). */
  owns(data: Float32Array): boolean {
    return this.made.has(data);
  }

  /** An array of this pool that no value refers to any more. */
  give(data: Float32Array): void {
    const list = this.free.get(data.length);
    if (list) list.push(data);
    else this.free.set(data.length, [data]);
  }
}
