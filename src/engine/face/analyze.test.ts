import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import fixtures from '../../../test/fixtures/landmarks.json' with { type: 'json' };
import { contains, cutPhoto } from '../../../test/cut-photo.ts';
import { FACES_DIR, hasModels, loadRaster } from '../../../test/load-raster.ts';
import { degreesApart } from '../../../test/shapes.ts';
import { createNodeBackend } from '../../node/ort-node-backend.ts';
import { FaceSwapError } from '../errors.ts';
import { BufferPool } from '../image/buffer-pool.ts';
import type { InferenceBackend } from '../inference.ts';
import { SWAP_ANALYSIS } from '../swap-job.ts';
import { analyzeFaces, orderFaces, type Face } from './analyze.ts';

const MODELS = hasModels('blazeface', 'facemesh', 'iris', 'faceres');
const NAMES = ['leftEye', 'rightEye', 'nose', 'leftMouth', 'rightMouth'] as const;
type Labelled = (typeof fixtures.faces)[number];

const centre = (f: Face) => [f.box.x + f.box.width / 2, f.box.y + f.box.height / 2];
const iod = (l: Labelled) => Math.hypot(l.rightEye[0] - l.leftEye[0], l.rightEye[1] - l.leftEye[1]);

describe('orderFaces', () => {
  it('orders by box centre left to right, then top to bottom', () => {
    const box = (x: number, y: number) => ({ index: -1, box: { x, y, width: 10, height: 10 } });
    const faces = orderFaces([box(50, 0), box(0, 40), box(0, 0), box(20, 5)]);
    expect(faces.map((f) => [f.box.x, f.box.y])).toEqual([[0, 0], [0, 40], [20, 5], [50, 0]]);
    expect(faces.map((f) => f.index)).toEqual([0, 1, 2, 3]);
  });
});

describe.skipIf(!MODELS)('analyzeFaces on real photos', () => {
  let backend: InferenceBackend;
  beforeAll(() => {
    backend = createNodeBackend();
  });

  it('finds the 2 faces of couple.jpg, left to right', async () => {
    const faces = await analyzeFaces(backend, await loadRaster('couple.jpg'), 'source');
    expect(faces.length).toBe(2);
    expect(centre(faces[0])[0]).toBeLessThan(centre(faces[1])[0]);
    expect(faces.map((f) => f.index)).toEqual([0, 1]);
    for (const f of faces) {
      expect(f.mesh.length).toBe(468 * 3);
      expect(f.iris?.length).toBe(30);
      expect(f.embedding.length).toBe(1024);
      expect(f.meshScore).toBeGreaterThan(0.9);
    }
  });

  it('finds every face of selfie-many-people.jpg, those the frame cuts too', async () => {
    // Counted by eye: 7 faces. The woman at the top left, the woman in front, the bearded man, the man in the middle,
    // the man with glasses at the top right (cut by the right edge), the man taking the selfie (cut at the bottom
    // right) and the woman at the bottom left, cut by the left edge near her nose.
    const every = [[35, 295], [145, 365], [255, 185], [420, 205], [570, 160], [545, 430], [20, 500]];
    const faces = await analyzeFaces(backend, await loadRaster('selfie-many-people.jpg'), 'target');
    console.log(`selfie-many-people.jpg: ${faces.length} faces at`, faces.map((f) => centre(f).map(Math.round)));
    for (const p of every) expect(faces.some((f) => contains(f, p)), `a face at ${p}`).toBe(true);
    expect(faces.length).toBe(7);
    const xs = faces.map((f) => centre(f)[0]);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('meshes a face cut near its middle as if the picture went on mirrored (selfie-many-people.jpg, bottom left)', async () => {
    // Half a face to the detector with black beyond the edge (a second look scored it 0.48, 0.7 needed): it was left
    // out, and its mesh, drawn so, was squeezed: her chin on her lower lip (y 564), her open smile 0.15 open.
    const faces = await analyzeFaces(backend, await loadRaster('selfie-many-people.jpg'), 'target', SWAP_ANALYSIS);
    const m = faces.find((f) => contains(f, [20, 500]))!.mesh;
    const gap = (a: number, b: number) => Math.hypot(m[a * 3] - m[b * 3], m[a * 3 + 1] - m[b * 3 + 1]);
    // Her lower lip's edge is at y 570-575 by eye, her chin at the picture's bottom edge.
    expect(m[152 * 3 + 1]).toBeGreaterThan(578);
    expect(gap(13, 14) / gap(61, 291)).toBeGreaterThan(0.18);
  });

  it('finds a face the bottom edge cuts below its eyes, though it reads surer upside down (img8, img50, img59)', async () => {
    // Cut at 45 % of the face's height from the bottom, each scored 0.40-0.48 as it is and 0.61-0.72 upside down: the
    // picture was analysed turned over, where the mesh confirmed no face, and none was found.
    for (const name of ['img8.jpg', 'img50.jpg', 'img59.jpg']) {
      const { image, shown } = await cutPhoto(backend, name, 'bottom', 0.45);
      const faces = await analyzeFaces(backend, image, 'target', { ...SWAP_ANALYSIS, skipEmbedding: true, iris: false });
      expect(faces.length, name).toBe(1);
      expect(contains(faces[0], shown), name).toBe(true);
      expect(Math.abs(faces[0].rollDegrees), name).toBeLessThan(15);
    }
  });

  it('finds a face the frame cuts in a picture under 512 px (img46 cut by the right edge, 262 x 487 px)', async () => {
    // The finer detector level ran only where it did not enlarge the picture: the whole picture at 256 px alone missed it.
    const { image, shown } = await cutPhoto(backend, 'img46.jpg', 'right', 0.45);
    expect(Math.max(image.width, image.height)).toBeLessThan(512);
    const faces = await analyzeFaces(backend, image, 'target', { ...SWAP_ANALYSIS, skipEmbedding: true, iris: false });
    expect(faces.length).toBe(1);
    expect(contains(faces[0], shown)).toBe(true);
  });

  it("takes a logo read as a face on its side, beside an upright face, for no face (img44's, the picture shrunk or cut)", async () => {
    // Shrunk to 400 px, the finer level (which runs on it now) reads the logo at its top as a face at roll 80 (0.40), its
    // mesh as sure as a face's; cut by the right edge, the whole picture reads it so at roll 62.
    const shrunk = await loadRaster(sharp(`${FACES_DIR}/img44.jpg`).resize(400, 400, { fit: 'inside' }));
    const { image: cut } = await cutPhoto(backend, 'img44.jpg', 'right', 0.3);
    for (const image of [shrunk, cut]) {
      const faces = await analyzeFaces(backend, image, 'target', { ...SWAP_ANALYSIS, skipEmbedding: true, iris: false });
      expect(faces.map((f) => Math.round(f.rollDegrees))).toHaveLength(1);
      expect(Math.abs(faces[0].rollDegrees)).toBeLessThan(10);
    }
  });

  it("takes no face-like texture at a picture's edge for a face cut by it (img44's logo)", async () => {
    // Mirrored beyond the top edge, the logo at img44's top left makes a face to the detector (0.80), but its keypoints
    // disagree with the mesh (0.42 of the eye distance) far more than a cut face's hidden ones.
    const faces = await analyzeFaces(backend, await loadRaster('img44.jpg'), 'target', SWAP_ANALYSIS);
    expect(faces.length).toBe(1);
  });

  it("draws whole meshes of faces the picture's edges cut (selfie-many-people.jpg's two men on the right)", async () => {
    // The detector boxes what shows of such a face: in a crop that tight the mesh drew the man taking the selfie (cut
    // at the bottom right) squeezed between his brows and his upper lip, his mouth half as open as he laughs, and the
    // man with glasses (cut by the right edge) was a face to the model only at 0.56.
    const faces = await analyzeFaces(backend, await loadRaster('selfie-many-people.jpg'), 'target', SWAP_ANALYSIS);
    const at = (p: number[]) => faces.find((f) => contains(f, p))!;
    const [glasses, selfieTaker] = [at([570, 160]), at([545, 430])];
    expect(glasses.meshScore).toBeGreaterThan(0.9);
    const m = selfieTaker.mesh;
    const gap = (a: number, b: number) => Math.hypot(m[a * 3] - m[b * 3], m[a * 3 + 1] - m[b * 3 + 1]);
    // Lips' inner midpoints apart over the mouth corners apart: 0.16 before, 0.25 now.
    expect(gap(13, 14) / gap(61, 291)).toBeGreaterThan(0.2);
  });

  it('finds faces 40 to 110 px across in a 4K picture (the finest detector level)', async () => {
    // selfie-many-people.jpg at 0.6 of its size on a grey 3840x2160 canvas: its visible faces, 43-105 px. The man
    // cut by the selfie's right edge is left out: that small, half a face is not found.
    const scale = 0.6;
    const small = await sharp(`${FACES_DIR}/selfie-many-people.jpg`).resize(600 * scale).toBuffer();
    const picture = sharp({ create: { width: 3840, height: 2160, channels: 3, background: '#777' } }).composite([{ input: small, left: 1700, top: 900 }]);
    const image = await loadRaster(sharp(await picture.png().toBuffer()));
    const visible = [[35, 295], [145, 365], [255, 185], [420, 205], [545, 430]].map(([x, y]) => [1700 + x * scale, 900 + y * scale]);
    const faces = await analyzeFaces(backend, image, 'target', { skipEmbedding: true, iris: false });
    for (const p of visible) expect(faces.some((f) => contains(f, p)), `a face at ${p}`).toBe(true);
    expect(faces.length).toBeLessThanOrEqual(7);
    // Without the finest level most of them are missed: the test needs it.
    const coarse = await analyzeFaces(backend, image, 'target', { skipEmbedding: true, iris: false, detect: { levels: 1 } });
    expect(coarse.length).toBeLessThan(4);
  });

  it('for the largest face only, skips the finer levels when the whole picture shows a face larger than they can', async () => {
    const runs: string[] = [];
    const counting: InferenceBackend = { ...backend, run: (model, input) => (runs.push(model), backend.run(model, input)) };
    const only = { skipEmbedding: true, iris: false, largestOnly: true };
    const detectorRuns = () => runs.splice(0).filter((m) => m === 'blazeface').length;
    // img1: a portrait, its face about a third of the picture's height. Same face as the full analysis, one detector run
    // on the whole picture, and one on it upside down (its face scores 0.84, under UPRIGHT_SURE).
    const portrait = await loadRaster('img1.jpg');
    const [largest] = await analyzeFaces(counting, portrait, 'source', only);
    expect(detectorRuns()).toBe(2);
    const all = await analyzeFaces(counting, portrait, 'source', { skipEmbedding: true, iris: false });
    expect(detectorRuns()).toBe(3);
    const overlap = (a: Face, b: Face) => {
      const w = Math.min(a.box.x + a.box.width, b.box.x + b.box.width) - Math.max(a.box.x, b.box.x);
      const h = Math.min(a.box.y + a.box.height, b.box.y + b.box.height) - Math.max(a.box.y, b.box.y);
      return (w * h) / (a.box.width * a.box.height);
    };
    expect(overlap(largest, all[0])).toBeGreaterThan(0.95);
    // img22: its face a quarter of the picture's width, which the finer level could match: it runs (once), as for all.
    // Its face scores 0.96: the picture is not looked at upside down.
    expect((await analyzeFaces(counting, await loadRaster('img22.jpg'), 'source', only)).length).toBe(1);
    expect(detectorRuns()).toBe(2);
  });

  it('finds a face rolled by 45° and levels its mesh', async () => {
    const label = fixtures.faces.find((f) => f.file === 'img30.jpg')!;
    const { width, height } = await sharp(`${FACES_DIR}/img30.jpg`).metadata();
    const image = await loadRaster(sharp(`${FACES_DIR}/img30.jpg`).rotate(45, { background: '#808080' }));
    const faces = await analyzeFaces(backend, image, 'target');
    expect(faces.length).toBe(1);
    expect(faces[0].rollDegrees).toBeCloseTo(45, -1);
    // The labelled eye centres, turned with the picture (clockwise about its centre), match the landmarks.
    const c = Math.SQRT1_2;
    const turn = ([x, y]: number[]) => {
      const dx = x - width! / 2, dy = y - height! / 2;
      return [c * dx - c * dy + image.width / 2, c * dx + c * dy + image.height / 2];
    };
    const l5 = faces[0].landmarks5;
    for (const [k, name] of (['leftEye', 'rightEye'] as const).entries()) {
      const [x, y] = turn(label[name]);
      expect(Math.hypot(l5[2 * k] - x, l5[2 * k + 1] - y) / iod(label)).toBeLessThan(0.05);
    }
  });

  // At 90 the detector's eye line is 32 degrees off: the mesh fitted in that crop (its roll 68) put the swapped face's
  // mouth at the nose; now the crop turns with the mesh until they agree. At 270 the finer level reads the face as
  // upright and the whole picture as turned: averaged (-40), the mesh fitted neither and the face was lost. Upside
  // down, it is read as upright, less surely than the picture turned over reads it: the swap came out upside down.
  it.each([90, 180, 270])("finds the mesh of img20 turned by %i degrees where the upright face's mesh turns to, as a swap analyses it", async (degrees) => {
    const upright = await loadRaster('img20.jpg');
    const turnedPicture = await loadRaster(sharp(`${FACES_DIR}/img20.jpg`).rotate(degrees));
    const [reference] = await analyzeFaces(backend, upright, 'target', SWAP_ANALYSIS);
    const faces = await analyzeFaces(backend, turnedPicture, 'target', SWAP_ANALYSIS);
    expect(faces.length).toBe(1);
    // How far (degrees) a face's roll is from the picture's turn.
    const rollOff = (face: Face) => degreesApart(face.rollDegrees, degrees);
    expect(rollOff(faces[0])).toBeLessThan(5);
    // Turned clockwise by a quarter: (x, y) -> (H - y, x); by half: (W - x, H - y); by three: (y, W - x).
    const { width: W, height: H } = upright;
    const turn = { 90: (x: number, y: number) => [H - y, x], 180: (x: number, y: number) => [W - x, H - y], 270: (x: number, y: number) => [y, W - x] }[degrees]!;
    // The mesh points' mean distance, relative to the face's width (0.019 at 90).
    let distance = 0;
    for (let i = 0; i < 468; i++) {
      const [x, y] = turn(reference.mesh[i * 3], reference.mesh[i * 3 + 1]);
      distance += Math.hypot(faces[0].mesh[i * 3] - x, faces[0].mesh[i * 3 + 1] - y) / 468;
    }
    expect(distance / reference.box.width).toBeLessThan(0.04);
    // As a source (its largest face only), the same way up.
    const [largest] = await analyzeFaces(backend, turnedPicture, 'source', { ...SWAP_ANALYSIS, largestOnly: true });
    expect(rollOff(largest)).toBeLessThan(5);
  });

  it.each([90, 180, 270])('finds the faces of a group photo turned by %i degrees as in the photo upright, the right way up (selfie-many-people.jpg)', async (degrees) => {
    // Its small faces are read upright by the finer levels: only 4 of 6 were found the right way up before the
    // picture, surer turned over than as it is, was analysed turned back (upside down), or on its side, turned upright.
    const uprightPicture = await loadRaster('selfie-many-people.jpg');
    const upright = await analyzeFaces(backend, uprightPicture, 'target', SWAP_ANALYSIS);
    const turned = await loadRaster(sharp(`${FACES_DIR}/selfie-many-people.jpg`).rotate(degrees));
    const faces = await analyzeFaces(backend, turned, 'target', SWAP_ANALYSIS);
    expect(faces.length).toBe(upright.length);
    // Each upright face's centre, turned (clockwise), is the centre of a face found, whose roll is turned too; and the
    // face order is left to right in the picture turned.
    const { width: w, height: h } = uprightPicture;
    const turnPoint = ([x, y]: number[]) => ({ 90: [h - y, x], 180: [w - x, h - y], 270: [y, w - x] })[degrees]!;
    const centre = (f: Face) => [f.box.x + f.box.width / 2, f.box.y + f.box.height / 2];
    // Between the eyes: a box, bounds of the mesh as it lies in the picture, is not the same turned.
    const betweenEyes = ({ landmarks5: l }: Face) => [(l[0] + l[2]) / 2, (l[1] + l[3]) / 2];
    for (const face of upright) {
      const [x, y] = turnPoint(betweenEyes(face));
      const match = faces.find((f) => Math.hypot(betweenEyes(f)[0] - x, betweenEyes(f)[1] - y) < face.box.width * 0.1);
      expect(match, `the face at ${Math.round(x)}, ${Math.round(y)}`).toBeDefined();
      expect(degreesApart(match!.rollDegrees, face.rollDegrees + degrees)).toBeLessThan(5);
    }
    const xs = faces.map((f) => centre(f)[0]);
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it("analyses a picture turned over with one pyramid at a time: the turned copy's takes the buffers of the picture's own", async () => {
    /** A pool that tracks the most bytes taken and not yet given back. */
    class Tracked extends BufferPool<ArrayBuffer> {
      out = 0;
      peak = 0;
      take(bytes: number): ArrayBuffer {
        const buffer = super.take(bytes);
        this.out += buffer.byteLength;
        this.peak = Math.max(this.peak, this.out);
        return buffer;
      }
      give(buffer: ArrayBuffer): void {
        this.out -= buffer.byteLength;
        super.give(buffer);
      }
    }
    const peak = async (image: Awaited<ReturnType<typeof loadRaster>>) => {
      const buffers = new Tracked((bytes) => new ArrayBuffer(bytes), 16);
      await analyzeFaces(backend, image, 'target', { ...SWAP_ANALYSIS, buffers });
      expect(buffers.out).toBe(0);
      return buffers.peak;
    };
    const upright = await loadRaster('selfie-many-people.jpg');
    const turned = await loadRaster(sharp(`${FACES_DIR}/selfie-many-people.jpg`).rotate(180));
    // The halvings of a picture take a third of its bytes: the turned copy's pyramid on top of the picture's own held
    // that much more (0.45 MB here, on top of 4.0 MB of pyramid and detector inputs; a 12 MP photo's is 16 MB).
    expect(await peak(turned)).toBeLessThan((await peak(upright)) + (upright.data.length / 3) * 0.25);
  });

  it('reports NO_FACE_DETECTED with the image role for a picture without a face', async () => {
    const backdrop = await loadRaster(sharp(`${FACES_DIR}/couple.jpg`).extract({ left: 0, top: 0, width: 420, height: 600 }));
    const error = await analyzeFaces(backend, backdrop, 'target').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FaceSwapError);
    expect((error as FaceSwapError).code).toBe('NO_FACE_DETECTED');
    expect((error as FaceSwapError).image).toBe('target');
    expect((error as FaceSwapError).message).toBe('No face found in the target image. If the photo is turned, turn it upright first.');
    const source = await analyzeFaces(backend, backdrop, 'source').catch((e: FaceSwapError) => e);
    expect((source as FaceSwapError).image).toBe('source');
  });

  it('analyses as well from kept, dirty buffers, and gives every one back, also when no face is found', async () => {
    const image = await loadRaster('couple.jpg');
    const fresh = await analyzeFaces(backend, image, 'target', { skipEmbedding: true });
    let made = 0;
    const buffers = new BufferPool((bytes) => {
      made++;
      return new Uint8Array(bytes).fill(0xa7).buffer;
    }, 16);
    const pooled = await analyzeFaces(backend, image, 'target', { skipEmbedding: true, buffers });
    expect(made).toBeGreaterThanOrEqual(3); // the pyramid's halvings and the detector's inputs
    expect(pooled.map((f) => [...f.mesh])).toEqual(fresh.map((f) => [...f.mesh]));
    expect(pooled.map((f) => [...f.iris!])).toEqual(fresh.map((f) => [...f.iris!]));
    // Each taken buffer came back: the same analysis again, and one that throws, make none.
    const once = made;
    await analyzeFaces(backend, image, 'target', { skipEmbedding: true, buffers });
    expect(made).toBe(once);
    const backdrop = await loadRaster(sharp(`${FACES_DIR}/couple.jpg`).extract({ left: 0, top: 0, width: 420, height: 600 }));
    const failed = () => analyzeFaces(backend, backdrop, 'target', { buffers }).then(() => null, (e: FaceSwapError) => e.code);
    expect(await failed()).toBe('NO_FACE_DETECTED');
    const afterFailure = made;
    expect(await failed()).toBe('NO_FACE_DETECTED');
    expect(made).toBe(afterFailure);
  });

  it('puts the 5 landmarks near the hand-labelled points', async () => {
    const rows: string[] = [];
    const analysed = new Map<string, Promise<Face[]>>();
    for (const label of fixtures.faces) {
      if (!analysed.has(label.file)) analysed.set(label.file, loadRaster(label.file).then((image) => analyzeFaces(backend, image, 'source', { skipEmbedding: true })));
      const l5 = (await analysed.get(label.file)!)[label.face].landmarks5;
      const errors = NAMES.map((name, k) => Math.hypot(l5[2 * k] - label[name][0], l5[2 * k + 1] - label[name][1]) / iod(label));
      const mean = errors.reduce((a, b) => a + b) / errors.length;
      rows.push(`${label.file}#${label.face}: ${errors.map((e) => (100 * e).toFixed(1)).join(' / ')} % (mean ${(100 * mean).toFixed(1)} %)`);
      // Eye centres (iris model) and mouth corners within 5 % of the eye distance. The mesh's nose tip (point 1)
      // sits on the lower edge of the tip or the ala, below and beside the labelled pronasale (up to 10.5 %; no
      // crop scale, mirrored pass, extra pass or the 478-point attention model brings it under 5 %), so 12 %.
      for (const k of [0, 1, 3, 4]) expect(errors[k], NAMES[k]).toBeLessThan(0.05);
      expect(errors[2], 'nose').toBeLessThan(0.12);
      expect(mean).toBeLessThan(0.05);
    }
    console.log(`landmark error / inter-ocular distance (eyes / nose / mouth corners):\n  ${rows.join('\n  ')}`);
  }, 120_000);
});
