import { describe, expect, it } from 'vitest';
import { fileStem } from '../../src/models/registry.js';

describe('fileStem', () => {
  it('names outputs after the file, never outside the output folder', () => {
    expect(fileStem('/m/face_detection_front.tflite')).toBe('face_detection_front');
    expect(fileStem('a/...tflite')).toBe('model');
    expect(fileStem('.tflite')).toBe('model');
    expect(fileStem('../..')).toBe('model');
    expect(fileStem('x/my model\u001b[2J.v2.tflite')).toBe('my_model__2J.v2');
  });
});
