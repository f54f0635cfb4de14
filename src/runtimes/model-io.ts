/** What the reference executors take and return, shared by the NeuralNetwork and the MIL executor. */

/** Interleaved 8-bit pixels, row by row; with 4 channels the 4th (alpha) is ignored, as in Core ML. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  readonly data: Uint8Array | Uint8ClampedArray;
}

/** An image for an image input, float32 values for a multi-array input. */
export type ModelInput = Float32Array | RgbImage;

export interface ExecutorOutput {
  shape: number[];
  data: Float32Array;
}
