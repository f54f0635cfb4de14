import { InputError } from '../ir/errors.js';

/**
 * JSON from a user's file. Nesting deeper than `maxDepth` is refused before parsing: every
 * reader of the result walks it recursively, and a few hundred kilobytes of `[` would overflow
 * the stack there.
 */
export function parseJsonFile(text: string, file: string, maxDepth = 64): unknown {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > maxDepth) throw new InputError(`JSON nested deeper than ${maxDepth} levels`, file);
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    throw new InputError(`not valid JSON: ${(e as Error).message}`, file);
  }
}
