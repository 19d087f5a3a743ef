/**
 * The swap quality bench: runs the real engine over ordered pairs of different people from the shared photos and
 * prints identity, pose, expression, gaze, skin grain and tint and surroundings figures per pair and a summary line; writes a
 * contact sheet.
 *
 *   npm run bench:quality -- [--pairs N] [--quality standard|high|4k] [--shape 0..1] [--eyes source|target] [--keep-beard] [--sheet PATH]
 */
import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { analyzeFaces, type Face } from '../src/engine/face/analyze.ts';
import { cosineSimilarity } from '../src/engine/face/embed.ts';
import { expressionOf, gazeOf, poseDifferenceDegrees } from '../src/engine/face/measures.ts';
import { FACE_OVAL } from '../src/engine/face/regions.ts';
import type { Raster } from '../src/engine/image/raster.ts';
import { BEARD_COVER, HAIR_COVER, SOFT_ENLARGEMENT, type Quality } from '../src/engine/job.ts';
import { reportedBeardCover, runSwapJob, SWAP_ANALYSIS, type SwappableFace } from '../src/engine/swap-job.ts';
import { DEFAULT_FACE_SWAP } from '../src/engine/swap/face-swap.ts';
import { rasterizePolygon } from '../src/engine/swap/mask.ts';
import { createNodeBackend } from '../src/node/ort-node-backend.ts';
import { facesDir } from '../test/faces.ts';
import { skinFineDetail } from '../test/fine-detail.ts';
import { skinTintDeparture } from '../test/skin-tint.ts';
import { loadRaster } from '../test/load-raster.ts';

const { values } = parseArgs({
  options: {
    pairs: { type: 'string', default: '26' },
    quality: { type: 'string', default: 'high' },
    shape: { type: 'string', default: String(DEFAULT_FACE_SWAP.shapeStrength) },
    eyes: { type: 'string', default: DEFAULT_FACE_SWAP.keepTargetEyes ? 'target' : 'source' },
    'work-size': { type: 'string', default: String(DEFAULT_FACE_SWAP.workSize) },
    'keep-beard': { type: 'boolean', default: false },
    sheet: { type: 'string', default: 'bench/out/quality-sheet.png' },
  },
});
const pairLimit = Number(values.pairs);
const quality = values.quality as Quality;
const faceOptions = { ...DEFAULT_FACE_SWAP, shapeStrength: Number(values.shape), keepTargetEyes: values.eyes === 'target', workSize: Number(values['work-size']) };

const backend = createNodeBackend();
const identities = new Map<string, string[]>();
for (const line of readFileSync(`${facesDir}identities.csv`, 'utf8').trim().split('\n').slice(1)) {
  const [file, person] = line.split(',');
  identities.set(person, [...(identities.get(person) ?? []), file]);
}
const people = [...identities.keys()].sort();

const largest = <T extends { box: { width: number; height: number } }>(faces: T[]) => faces.reduce((a, b) => (a.box.width * a.box.height >= b.box.width * b.box.height ? a : b));
/** Each photo's largest face: fully analysed (its identity embedding), and as the app's swap analyses it. */
const photos = new Map<string, { image: Raster; face: Face; swappable: SwappableFace }>();
async function photo(file: string) {
  let entry = photos.get(file);
  if (!entry) {
    const image = await loadRaster(file);
    entry = { image, face: largest(await analyzeFaces(backend, image, 'target')), swappable: largest(await analyzeFaces(backend, image, 'target', SWAP_ANALYSIS)) };
    photos.set(file, entry);
  }
  return entry;
}

/** Ordered pairs of different people: each person's first photo as source onto the next people's first photos. */
const pairs: [string, string, string, string][] = [];
for (let step = 1; pairs.length < pairLimit && step < people.length; step++) {
  for (let i = 0; i < people.length && pairs.length < pairLimit; i++) {
    const s = people[i], t = people[(i + step) % people.length];
    pairs.push([s, identities.get(s)![0], t, identities.get(t)![0]]);
  }
}

const meanCos = (e: Float32Array, files: string[]) => files.reduce((sum, f) => sum + cosineSimilarity(e, photos.get(f)!.face.embedding), 0) / files.length;

interface Row { source: string; target: string; idSource: number; idTarget: number; pose: number; expr: number; gaze: number; psnr: number; grain: number; tint: number; ms: number; enlargement: number; hairCover: number; beardCover: number; output: Raster }
const rows: Row[] = [];
for (const [sp, sf, tp, tf] of pairs) {
  for (const f of [...identities.get(sp)!, ...identities.get(tp)!]) await photo(f);
  const source = photos.get(sf)!, target = photos.get(tf)!;
  const started = performance.now();
  const result = await runSwapJob(
    { analyse: async (role) => [role === 'source' ? source.swappable : target.swappable], encode: async (image) => image },
    source.image, target.image, { quality, outputFormat: 'png', keepBeard: values['keep-beard'] }, undefined, undefined, faceOptions,
  );
  const ms = performance.now() - started;
  const output = result.encoded;
  const outFaces = await analyzeFaces(backend, output, 'target');
  const scale = output.width / target.image.width;
  const outFace = outFaces.reduce((a, b) => (overlap(a, target.face, scale) >= overlap(b, target.face, scale) ? a : b));
  const targetMesh = target.face.mesh.map((v) => v * scale);
  const te = expressionOf(targetMesh), oe = expressionOf(outFace.mesh);
  const targetGaze = gazeOf(target.face.mesh, target.face.iris!);
  const row: Row = {
    source: sf, target: tf,
    idSource: meanCos(outFace.embedding, identities.get(sp)!.filter((f) => f !== sf)),
    idTarget: meanCos(outFace.embedding, identities.get(tp)!.filter((f) => f !== tf)),
    pose: poseDifferenceDegrees(targetMesh, outFace.mesh),
    expr: (Math.abs(te.mouthOpen - oe.mouthOpen) + Math.abs(te.eyeOpen - oe.eyeOpen) + Math.abs(te.smile - oe.smile)) / 3,
    // Where the eyes look, against the target's (eye widths).
    gaze: Math.hypot(...gazeOf(outFace.mesh, outFace.iris!).map((v, k) => v - targetGaze[k])),
    psnr: psnrOutsideFace(scale === 1 ? target.image : null, output, targetMesh),
    // The new face's skin as fine-grained as the target photo's (1), or smoother (a waxy face on a sharp photo).
    grain: scale === 1 ? skinFineDetail(output, targetMesh) / skinFineDetail(target.image, targetMesh) : NaN,
    // How far the new skin's warmer and cooler parts depart from the target photo's own (a patch the source's light
    // tinted stands out); 0 for the target itself.
    tint: scale === 1 ? skinTintDeparture(output, target.image, targetMesh) : NaN,
    ms, output,
    // What of the source photo limits the result (the studio's advice): look at these rows for softness or strands.
    enlargement: result.sourceEnlargement,
    hairCover: result.sourceHairCover,
    // A beard on the target, which the studio says it replaces down to the jaw unless kept (--keep-beard).
    beardCover: reportedBeardCover(target.image, target.swappable.mesh),
  };
  rows.push(row);
  console.log(`${sf} -> ${tf}  id(src)=${row.idSource.toFixed(3)} id(tgt)=${row.idTarget.toFixed(3)} ${row.idSource > row.idTarget ? 'SOURCE' : 'target'}  pose=${row.pose.toFixed(2)}°  expr=${row.expr.toFixed(3)}  gaze=${row.gaze.toFixed(3)}  psnr=${fmtPsnr(row.psnr)}  grain=${row.grain.toFixed(2)}  tint=${row.tint.toFixed(2)}  source x${row.enlargement.toFixed(2)} hair=${pct(row.hairCover)} beard=${pct(row.beardCover)}  ${ms.toFixed(0)} ms`);
}

const mean = (f: (r: Row) => number) => rows.reduce((s, r) => s + f(r), 0) / rows.length;
const closer = rows.filter((r) => r.idSource > r.idTarget).length / rows.length;
console.log(
  `SUMMARY pairs=${rows.length} quality=${quality} shape=${faceOptions.shapeStrength} eyes=${values.eyes} keep_beard=${values['keep-beard']} work_size=${faceOptions.workSize} id_source=${mean((r) => r.idSource).toFixed(3)} id_target=${mean((r) => r.idTarget).toFixed(3)} ` +
    `closer_to_source=${(closer * 100).toFixed(1)}% pose_err=${mean((r) => r.pose).toFixed(2)}deg expr_err=${mean((r) => r.expr).toFixed(3)} gaze_err=${mean((r) => r.gaze).toFixed(3)} ` +
    `psnr_outside=${fmtPsnr(Math.min(...rows.map((r) => r.psnr)))}dB(min) grain=${mean((r) => r.grain).toFixed(2)}(min ${Math.min(...rows.map((r) => r.grain)).toFixed(2)}) tint=${mean((r) => r.tint).toFixed(2)} time=${median(rows.map((r) => r.ms)).toFixed(0)}ms/pair(median) ` +
    `advised=${rows.filter((r) => r.enlargement >= SOFT_ENLARGEMENT).length}soft,${rows.filter((r) => r.hairCover >= HAIR_COVER).length}hair,${rows.filter((r) => r.beardCover >= BEARD_COVER).length}beard`,
);
await contactSheet(values.sheet!);

/** The middle value: the first pair also pays for compiling the engine, which a mean would spread over all. */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

function overlap(a: Face, b: Face, scale: number): number {
  const x0 = Math.max(a.box.x, b.box.x * scale), y0 = Math.max(a.box.y, b.box.y * scale);
  const x1 = Math.min(a.box.x + a.box.width, (b.box.x + b.box.width) * scale), y1 = Math.min(a.box.y + a.box.height, (b.box.y + b.box.height) * scale);
  return Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
}

function pct(share: number): string {
  return `${Math.round(share * 100)}%`;
}

function fmtPsnr(db: number): string {
  return Number.isNaN(db) ? 'n/a' : Number.isFinite(db) ? db.toFixed(1) : 'inf';
}

/** PSNR of the output against the target outside the face's neighbourhood (its outline grown 1.5× about its centre). */
function psnrOutsideFace(target: Raster | null, output: Raster, mesh: Float32Array): number {
  if (!target) return NaN;
  let cx = 0, cy = 0;
  for (const i of FACE_OVAL) { cx += mesh[i * 3] / FACE_OVAL.length; cy += mesh[i * 3 + 1] / FACE_OVAL.length; }
  const grown = new Float32Array(FACE_OVAL.length * 2);
  FACE_OVAL.forEach((i, k) => { grown[k * 2] = cx + (mesh[i * 3] - cx) * 1.5; grown[k * 2 + 1] = cy + (mesh[i * 3 + 1] - cy) * 1.5; });
  const inside = rasterizePolygon(grown, { x: 0, y: 0, width: output.width, height: output.height });
  let sum = 0, n = 0;
  for (let p = 0; p < inside.length; p++) {
    if (inside[p] > 0) continue;
    for (let c = 0; c < 3; c++) { const d = output.data[p * 4 + c] - target.data[p * 4 + c]; sum += d * d; }
    n += 3;
  }
  return sum === 0 ? Infinity : 10 * Math.log10((255 * 255) / (sum / n));
}

async function contactSheet(path: string): Promise<void> {
  const cell = 240;
  const tile = async (image: Raster) =>
    sharp(Buffer.from(image.data.buffer, image.data.byteOffset, image.data.byteLength), { raw: { width: image.width, height: image.height, channels: 4 } })
      .resize(cell, cell, { fit: 'contain', background: '#fff' }).png().toBuffer();
  const width = cell * 3 + 300;
  const layers: sharp.OverlayOptions[] = [];
  for (const [k, r] of rows.entries()) {
    const top = k * cell;
    layers.push({ input: await tile(photos.get(r.source)!.image), left: 0, top });
    layers.push({ input: await tile(photos.get(r.target)!.image), left: cell, top });
    layers.push({ input: await tile(r.output), left: cell * 2, top });
    const text = [`${r.source} → ${r.target}`, `id src ${r.idSource.toFixed(3)} / tgt ${r.idTarget.toFixed(3)}`, `pose ${r.pose.toFixed(2)}°  expr ${r.expr.toFixed(3)}  gaze ${r.gaze.toFixed(2)}`, `psnr out ${fmtPsnr(r.psnr)} dB  grain ${r.grain.toFixed(2)}  tint ${r.tint.toFixed(1)}`, `source ×${r.enlargement.toFixed(2)}  hair ${pct(r.hairCover)}  beard ${pct(r.beardCover)}`, `${r.ms.toFixed(0)} ms`];
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="${cell}"><style>text{font:15px DejaVu Sans,sans-serif;fill:#111}</style>${text.map((t, i) => `<text x="12" y="${40 + i * 26}">${t}</text>`).join('')}</svg>`;
    layers.push({ input: Buffer.from(svg), left: cell * 3, top });
  }
  await mkdir(dirname(path), { recursive: true });
  await sharp({ create: { width, height: Math.max(1, rows.length * cell), channels: 3, background: '#fff' } }).composite(layers).png().toFile(path);
  console.log(`contact sheet: ${path}`);
}
