import type { Activation } from '../ir/attrs.js';
import { EmitError, LayoutError } from '../ir/errors.js';
import type { Value } from '../ir/graph.js';

/** Emitters run after `expandFusedActivation`; an op that still carries one was not lowered right. */
export function requireNoActivation(target: string, name: string, activation: Activation): void {
  if (activation !== 'NONE') {
    throw new EmitError(target, `node ${name} still has fused activation ${activation}; run expandFusedActivation first`);
  }
}

/** Lowerings run after the layout pass; a value in any other layout means the pass was skipped. */
export function requireLayout(value: Value, layout: string): void {
  if (value.layout !== layout) throw new LayoutError(value.id, `expected layout ${layout}, found ${value.layout}`);
}
