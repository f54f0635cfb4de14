/**
 * Regenerates weights/anchors/<id>.npy for every registry detector (`npm run anchors`).
 * test/anchors/model-tables.test.ts fails while a committed table differs from this output.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ANCHOR_TABLE_DIR, anchorTablePath, modelAnchorTable } from '../src/models/anchor-tables.js';
import { encodeAnchors } from '../src/anchors/write-anchors.js';
import { listModels, PACKAGE_ROOT } from '../src/models/registry.js';
import { sha256Hex } from '../src/io/sha256.js';

mkdirSync(ANCHOR_TABLE_DIR, { recursive: true });
for (const entry of listModels().filter((m) => m.anchors !== undefined)) {
  const table = modelAnchorTable(entry);
  const bytes = encodeAnchors(table, 'npy');
  const path = anchorTablePath(entry.id);
  const unchanged = existsSync(path) && Buffer.from(bytes).equals(readFileSync(path));
  if (!unchanged) writeFileSync(path, bytes);
  console.log(
    `${entry.id}: ${table.length / 4} anchors, sha256 ${sha256Hex(bytes)} (float32 ${sha256Hex(encodeAnchors(table, 'bin'))}) ` +
      `${unchanged ? 'unchanged' : 'written to'} ${relative(PACKAGE_ROOT, path)}`,
  );
}
