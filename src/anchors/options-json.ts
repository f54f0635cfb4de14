import { ANCHOR_FIELDS, ANCHOR_OPTION_FIELDS, ANCHOR_OPTION_KEYS, optionError, show, type AnchorOptionKey, type AnchorOptions } from './options.js';
import { resolveAnchorOptions } from './resolve-options.js';

const KEY_BY_NAME = new Map<string, AnchorOptionKey>(ANCHOR_OPTION_KEYS.map((key) => [ANCHOR_OPTION_FIELDS[key].name, key]));

/**
 * Reads an SsdAnchorsCalculatorOptions object written with MediaPipe's snake_case field names
 * (as in a graph's .pbtxt, or the registry), and checks it completely: JSON types, unknown
 * names, ranges and the consistency rules generateAnchors applies. `where` names the source
 * (a file, a registry entry) in error messages.
 */
export function anchorOptionsFromJson(json: unknown, where: string): AnchorOptions {
  if (!isRecord(json)) {
    throw optionError('(options)', `expected an object of SsdAnchorsCalculatorOptions fields, got ${show(json)}`, where);
  }
  const options: Partial<Record<AnchorOptionKey, unknown>> = {};
  for (const [name, value] of Object.entries(json)) {
    const key = KEY_BY_NAME.get(name);
    if (key === undefined) throw optionError(name, `unknown option${suggestion(name, [...KEY_BY_NAME.keys()])}`, where);
    options[key] = key === 'fixedAnchors' && Array.isArray(value) ? value.map((a, i) => anchorFromJson(a, i, where)) : value;
  }
  // The value checks live with the generator so TypeScript callers get them too; running them
  // here attaches `where` to the message.
  resolveAnchorOptions(options as AnchorOptions, where);
  return options as AnchorOptions;
}

/** Renames an Anchor proto object's fields; the value checks happen with the other options. */
function anchorFromJson(value: unknown, index: number, where: string): unknown {
  if (!isRecord(value)) return value;
  const names: readonly string[] = ANCHOR_FIELDS.map(([, name]) => name);
  const unknown = Object.keys(value).find((name) => !names.includes(name));
  if (unknown !== undefined) {
    throw optionError(`fixed_anchors[${index}].${unknown}`, `unknown Anchor field${suggestion(unknown, names)}`, where);
  }
  return Object.fromEntries(ANCHOR_FIELDS.map(([key, name]) => [key, value[name]]));
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** " (did you mean x?)" for a camelCase spelling of a known name, a small typo, or a longer form (width for w). */
function suggestion(name: string, known: readonly string[]): string {
  const snake = name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const match = known.find((k) => k === snake) ?? known.find((k) => editDistance(name, k) <= 2) ?? known.find((k) => name.startsWith(k));
  return match === undefined ? '' : ` (did you mean ${match}?)`;
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) {
      next.push(Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1)));
    }
    row = next;
  }
  return row[b.length]!;
}
