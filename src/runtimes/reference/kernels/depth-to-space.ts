import { KernelError } from './kernel-error.js';
import { nhwc, type Tensor } from './tensor.js';

/**
 * TFLite DEPTH_TO_SPACE: output pixel (y, x) channel c reads input pixel (y/bs, x/bs) channel
 * c + ((y%bs)*bs + x%bs) * (C / bs²), i.e. the block's row and column are the slowest-varying
 * part of the input depth (ONNX mode DCR).
 */
export function depthToSpace(input: Tensor, blockSize: number): Tensor {
  const name = 'DEPTH_TO_SPACE';
  const [batches, inH, inW, inC] = nhwc(name, input);
  const bs = blockSize;
  if (!Number.isInteger(bs) || bs < 1 || inC % (bs * bs) !== 0) {
    throw new KernelError(name, `block size ${blockSize} does not divide depth ${inC} into blocks`);
  }
  const outC = inC / (bs * bs);
  const outH = inH * bs;
  const outW = inW * bs;
  const x = input.data;
  const out = new Float32Array(x.length);
  let o = 0;
  for (let b = 0; b < batches; b++) {
    for (let y = 0; y < outH; y++) {
      const inRow = (b * inH + Math.floor(y / bs)) * inW;
      const blockRow = (y % bs) * bs;
      for (let ox = 0; ox < outW; ox++) {
        // One output pixel's channels are one contiguous run of the input depth.
        const src = (inRow + Math.floor(ox / bs)) * inC + (blockRow + (ox % bs)) * outC;
        out.set(x.subarray(src, src + outC), o);
        o += outC;
      }
    }
  }
  return { shape: [batches, outH, outW, outC], data: out };
}
