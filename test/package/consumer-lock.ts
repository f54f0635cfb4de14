import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

interface LockEntry {
  readonly version?: string;
  readonly dev?: boolean;
  readonly devOptional?: boolean;
  readonly peer?: boolean;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly [field: string]: unknown;
}

export interface Lockfile {
  readonly name: string;
  readonly version: string;
  readonly lockfileVersion: 3;
  readonly requires: true;
  readonly packages: Record<string, LockEntry>;
}

interface PackageJson {
  readonly name: string;
  readonly version: string;
  readonly license: string;
  readonly bin?: unknown;
  readonly engines?: unknown;
  readonly dependencies?: Readonly<Record<string, string>>;
  readonly peerDependencies?: Readonly<Record<string, string>>;
  readonly peerDependenciesMeta?: unknown;
}

/**
 * The lockfile of a fresh project that depends on our packed tarball, so `npm ci --offline`
 * can install it from the tarball and the npm cache alone: a plain `npm install <tarball>`
 * asks the registry for every dependency's metadata, which the cache that `npm ci` fills does
 * not hold. Our own package-lock.json pins every package the tarball needs: the entries that
 * are not dev-only are exactly the production closure, placed as npm would place them.
 */
export function consumerLockfile(repositoryLock: Lockfile, packageJson: PackageJson, tarball: { readonly path: string; readonly spec: string }): Lockfile {
  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', version: '1.0.0', dependencies: { [packageJson.name]: tarball.spec } },
    [`node_modules/${packageJson.name}`]: {
      version: packageJson.version,
      resolved: tarball.spec,
      integrity: `sha512-${createHash('sha512').update(readFileSync(tarball.path)).digest('base64')}`,
      license: packageJson.license,
      bin: packageJson.bin,
      engines: packageJson.engines,
      dependencies: packageJson.dependencies,
      peerDependencies: packageJson.peerDependencies,
      peerDependenciesMeta: packageJson.peerDependenciesMeta,
    },
  };
  for (const [path, entry] of Object.entries(repositoryLock.packages)) {
    if (path === '' || entry.dev || entry.devOptional) continue;
    packages[path] = withoutFlags(entry);
  }
  return { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages };
}

/**
 * Adds a top-level dependency of the consumer (a dev dependency of ours, like onnxruntime-node)
 * with every package it needs, resolved the way Node resolves them (nested first, then up).
 */
export function addDependency(consumer: Lockfile, repositoryLock: Lockfile, name: string): Lockfile {
  const packages = { ...consumer.packages };
  const version = repositoryLock.packages[`node_modules/${name}`]?.version;
  if (version === undefined) throw new Error(`package-lock.json does not hold ${name}`);
  packages[''] = { ...packages[''], dependencies: { ...packages['']?.dependencies, [name]: version } };
  const pending = [`node_modules/${name}`];
  while (pending.length > 0) {
    const path = pending.pop()!;
    if (packages[path] !== undefined && path !== `node_modules/${name}`) continue;
    const entry = repositoryLock.packages[path];
    if (entry === undefined) throw new Error(`package-lock.json has no ${path}`);
    packages[path] = withoutFlags(entry);
    for (const dependency of Object.keys(entry.dependencies ?? {})) pending.push(resolveIn(repositoryLock, path, dependency));
  }
  return { ...consumer, packages };
}

function resolveIn(lock: Lockfile, from: string, name: string): string {
  let base = from;
  for (;;) {
    const path = `${base}/node_modules/${name}`;
    if (lock.packages[path] !== undefined) return path;
    const up = base.lastIndexOf('/node_modules/');
    if (up < 0) break;
    base = base.slice(0, up);
  }
  if (lock.packages[`node_modules/${name}`] === undefined) throw new Error(`package-lock.json cannot resolve ${name} from ${from}`);
  return `node_modules/${name}`;
}

function withoutFlags(entry: LockEntry): LockEntry {
  const { dev: _dev, devOptional: _devOptional, peer: _peer, ...rest } = entry;
  return rest;
}
