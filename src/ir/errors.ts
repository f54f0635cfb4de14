/**
 * One error class per pipeline stage. Every message is a single line that names the file
 * (or model), where in it the problem is, and what was expected, so the CLI can print it
 * as `error: <file>: <problem>` without a stack trace.
 */
export class BlazefaceError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }

  /** The one-line form the CLI prints. */
  describe(): string {
    return this.file ? `${this.file}: ${this.message}` : this.message;
  }
}

/** A TFLite file (or any flatbuffer) that is malformed at a given byte offset. */
export class ReadError extends BlazefaceError {
  constructor(
    file: string,
    readonly offset: number,
    readonly expected: string,
  ) {
    super(`at byte ${offset}: expected ${expected}`, file);
  }
}

/** The model is well formed but uses something the converter does not handle. */
export class UnsupportedOpError extends BlazefaceError {
  constructor(
    readonly op: string,
    readonly operatorIndex: number,
    detail: string,
    file?: string,
  ) {
    super(`operator ${operatorIndex} (${op}): ${detail}`, file);
  }
}

/** The graph is inconsistent: a pass or the graph builder found a broken invariant. */
export class GraphError extends BlazefaceError {
  constructor(
    readonly where: string,
    detail: string,
    file?: string,
  ) {
    super(`${where}: ${detail}`, file);
  }
}

/** A value reached a stage in a layout that stage cannot handle. */
export class LayoutError extends BlazefaceError {
  constructor(
    readonly valueId: string,
    detail: string,
  ) {
    super(`tensor ${valueId}: ${detail}`);
  }
}

/** An emitter was handed something it cannot express in its target format. */
export class EmitError extends BlazefaceError {
  constructor(
    readonly target: string,
    detail: string,
  ) {
    super(`${target}: ${detail}`);
  }
}

/** The model registry or a model reference is wrong (unknown id, sha256 mismatch, missing file). */
export class RegistryError extends BlazefaceError {}

/** Anchor options that SsdAnchorsCalculator would reject or that contradict each other. */
export class AnchorOptionsError extends BlazefaceError {
  constructor(
    readonly option: string,
    detail: string,
  ) {
    super(`anchor option ${option}: ${detail}`);
  }
}

/** An input image or tensor that does not fit what the model expects. */
export class InputError extends BlazefaceError {}

/** Two runtimes disagree beyond the tolerance. */
export class ParityError extends BlazefaceError {}

/**
 * A Core ML model that cannot be decoded or encoded, or that uses something the reference
 * executor does not implement. `where` names the place: a layer (index, name, type), a field
 * path, or the stage.
 */
export class CoremlError extends BlazefaceError {
  constructor(
    readonly where: string,
    detail: string,
    file?: string,
  ) {
    super(`${where}: ${detail}`, file);
  }
}

/** Input that would exceed a resource limit; `flag` is the command-line option that raises it. */
export class LimitError extends BlazefaceError {
  constructor(
    readonly limit: string,
    readonly flag: string,
    detail: string,
    file?: string,
  ) {
    super(`${detail}, over the limit of ${limit} (raise it with ${flag})`, file);
  }
}
