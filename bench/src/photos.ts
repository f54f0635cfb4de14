/**
 * Photos for the detection benchmarks, made with sharp from the two real photos in
 * ../shared/images/people (512x384 and 384x834, one face each) and the seed images in
 * ../shared/images, never committed:
 * - `hd`: 1280x720 JPEG (quality 90, 4:2:0), the first photo scaled to cover the frame;
 * - `group`: 1920x1080 JPEG of three people side by side, faces about 150 pixels wide;
 * - `sideways`: `hd` stored as a phone stores a portrait, turned, with EXIF orientation 6;
 * - `folder(n)`: n JPEGs of 640x480 to 1920x1080, each a different crop, scale and mirror
 *   of the two photos and the three seed images, a quarter stored sideways (deterministic);
 * - `huge`: a JPEG of 12000x8400 (100.8 MP), the first photo scaled up.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { SHARED_DIR } from '../../scripts/dev-data.js';

export const PEOPLE = join(SHARED_DIR, 'images', 'people');
const CALL = join(PEOPLE, 'call-512x384.jpg');
const FOUR = join(PEOPLE, 'four-384x834.jpg');

export async function makeHd(path: string): Promise<string> {
  await sharp(CALL).resize(1280, 720, { fit: 'cover' }).jpeg({ quality: 90 }).toFile(path);
  return path;
}

/**
 * `hd` as a phone stores a photo taken sideways: the pixels turned a quarter anticlockwise
 * (720x1280) with EXIF orientation 6, which shows them upright as 1280x720 again.
 */
export async function makeSideways(path: string): Promise<string> {
  const hd = await sharp(CALL).resize(1280, 720, { fit: 'cover' }).png().toBuffer();
  await sharp(hd).rotate(270).jpeg({ quality: 90 }).withMetadata({ orientation: 6 }).toFile(path);
  return path;
}

/**
 * Three 640x1080 panels: call-512x384 at 2x and mirrored at 2x (face about 140 pixels wide),
 * four-384x834 at 3.2x around the face (about 150 pixels).
 */
export async function makeGroup(path: string): Promise<string> {
  const panel = async (file: string, scale: number, left: number, top: number, flop: boolean): Promise<Buffer> => {
    const meta = await sharp(file).metadata();
    const scaled = sharp(file).resize(Math.round(meta.width * scale), Math.round(meta.height * scale));
    const image = await (flop ? scaled.flop() : scaled).png().toBuffer();
    const m = await sharp(image).metadata();
    // Grey beyond the photo where the panel reaches past it.
    const padded = await sharp(image)
      .extend({ bottom: Math.max(0, top + 1080 - m.height), right: Math.max(0, left + 640 - m.width), background: '#808080' })
      .png()
      .toBuffer();
    return sharp(padded).extract({ left, top, width: 640, height: 1080 }).png().toBuffer();
  };
  const panels = [await panel(CALL, 2.0, 250, 0, false), await panel(FOUR, 3.2, 300, 900, false), await panel(CALL, 2.0, 134, 0, true)];
  await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#808080' } })
    .composite(panels.map((input, i) => ({ input, left: 640 * i, top: 0 })))
    .jpeg({ quality: 90 })
    .toFile(path);
  return path;
}

/** The seed app's three 128x128 test images (one, three and four faces). */
const SEEDS = ['1face', '3faces', '4faces'].map((name) => join(SHARED_DIR, 'images', `${name}.png`));

/**
 * n photos in `dir`, sizes and crops from a seeded generator; returns their paths. Sources
 * take turns: the two people photos and the three seed images (enlarged). One photo in four is
 * stored sideways with the EXIF orientation that shows it upright (6 or 8), as phones do.
 */
export async function makeFolder(dir: string, n: number): Promise<string[]> {
  mkdirSync(dir, { recursive: true });
  const sizes = [
    [640, 480],
    [1280, 720],
    [1024, 768],
    [1920, 1080],
    [720, 1280],
    [1080, 1350],
  ] as const;
  const sources = [CALL, FOUR, ...SEEDS];
  let state = 12345;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  const paths: string[] = [];
  for (let i = 0; i < n; i++) {
    const [width, height] = sizes[i % sizes.length]!;
    const source = sources[i % sources.length]!;
    const position = (['centre', 'top', 'left', 'right'] as const)[Math.floor(next() * 4)]!;
    const mirror = next() < 0.5;
    const quality = 80 + Math.floor(next() * 15);
    const sideways = next() < 0.25 ? (next() < 0.5 ? 6 : 8) : 1;
    let image = sharp(await sharp(source).resize(width, height, { fit: 'cover', position }).png().toBuffer());
    if (mirror) image = image.flop();
    // Stored turned the other way, so that the orientation shows the picture upright.
    if (sideways !== 1) image = sharp(await image.png().toBuffer()).rotate(sideways === 6 ? 270 : 90);
    const path = join(dir, `photo-${String(i).padStart(4, '0')}.jpg`);
    const jpeg = image.jpeg({ quality });
    await (sideways === 1 ? jpeg : jpeg.withMetadata({ orientation: sideways })).toFile(path);
    paths.push(path);
  }
  return paths;
}

export async function makeHuge(path: string): Promise<string> {
  await sharp(CALL, { limitInputPixels: false }).resize(12000, 8400, { fit: 'cover' }).jpeg({ quality: 85 }).toFile(path);
  return path;
}
