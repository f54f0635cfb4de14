import type { AnyTypedArray } from './dtype.js';

/**
 * Constant data a pass derives from another constant (a kernel re-laid to NCHW, widened with
 * zero channels), by source array and recipe. The variants of one model (NHWC or NCHW input,
 * each profile) run the same passes over the same kernels; with one of these shared by them
 * each kernel is transposed and widened once, not once per variant. Derived data is never
 * written after it is made, like every constant in the IR, so variants may share it.
 */
export class DerivedConstants {
  private readonly made = new WeakMap<AnyTypedArray, Map<string, AnyTypedArray>>();

  /** `make()`'s result for `source` and `recipe`, made on first request. */
  get<T extends AnyTypedArray>(source: AnyTypedArray, recipe: string, make: () => T): T {
    let recipes = this.made.get(source);
    if (!recipes) {
      recipes = new Map();
      this.made.set(source, recipes);
    }
    const known = recipes.get(recipe);
    if (known) return known as T;
    const fresh = make();
    recipes.set(recipe, fresh);
    return fresh;
  }
}
