/**
 * Peak memory and time for a 100.8-megapixel JPEG (12000x8400, bench/src/photos.ts), decoded
 * and detected in a fresh process (bench/src/large-photo.ts), per face model input size.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { LargePhotoReport } from './large-photo.js';
import { makeHuge } from './photos.js';

export interface MemoryResult extends LargePhotoReport {
  readonly model: string;
}

export async function benchMemory(scratch: string): Promise<MemoryResult[]> {
  const file = await makeHuge(join(scratch, 'huge.jpg'));
  const script = join(import.meta.dirname, 'large-photo.js');
  return ['short_range', 'full_range'].map((model) => {
    const out = execFileSync(process.execPath, [script, file, model, join(scratch, 'cache')], { encoding: 'utf8' });
    return { model, ...(JSON.parse(out.trim()) as LargePhotoReport) };
  });
}
