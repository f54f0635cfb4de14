import type sharpModule from 'sharp';

/**
 * sharp, loaded on first use: its native library (libvips) takes about 0.2 s of CPU to load,
 * which a run that never decodes or encodes an image file (convert, inspect, a library user who
 * hands the detector pixels) should not pay.
 */
export async function loadSharp(): Promise<typeof sharpModule> {
  return (await import('sharp')).default;
}
