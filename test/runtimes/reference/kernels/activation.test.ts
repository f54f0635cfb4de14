import { describe, expect, it } from 'vitest';
import { logistic, relu, relu6 } from '../../../../src/runtimes/reference/kernels/activation.js';
import { tensor } from '../../../../src/runtimes/reference/kernels/tensor.js';

const values = [-7, -0.5, 0, 0.25, 5.5, 6, 9];

describe('activations', () => {
  it('clamps with relu and relu6 and keeps the shape', () => {
    const x = tensor([7, 1], values);
    expect(relu(x).shape).toEqual([7, 1]);
    expect([...relu(x).data]).toEqual([0, 0, 0, 0.25, 5.5, 6, 9]);
    expect([...relu6(x).data]).toEqual([0, 0, 0, 0.25, 5.5, 6, 6]);
  });

  it('computes the sigmoid with TFLite reference cutoffs', () => {
    const out = logistic(tensor([5], [0, 2, -20, 17, -8])).data;
    expect(out[0]).toBe(0.5);
    expect(out[1]).toBeCloseTo(0.8807970779778823, 7);
    // Below -9 TFLite returns exp(x); above 16.619... it returns exactly 1.
    expect(out[2]).toBe(Math.fround(Math.exp(-20)));
    expect(out[3]).toBe(1);
    expect(out[4]).toBeCloseTo(1 / (1 + Math.exp(8)), 9);
  });
});
