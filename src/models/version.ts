import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PACKAGE_ROOT } from './registry.js';

export const CONVERTER_NAME = 'blazeface-convert';
export const CONVERTER_VERSION: string = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let fingerprint: string | undefined;

/**
 * A digest of the converter's own code (every module of src/, or dist/src/ when compiled), so
 * caches of converted models are invalidated by any change to the converter, not only by a
 * version bump. Benchmarks and scripts live outside that tree and do not count.
 */
export function converterFingerprint(): string {
  if (fingerprint) return fingerprint;
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) hash.update(entry.name).update(readFileSync(path));
    }
  };
  walk(dirname(dirname(fileURLToPath(import.meta.url))));
  fingerprint = hash.digest('hex').slice(0, 16);
  return fingerprint;
}
