import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parseArgs } from 'node:util';
import { analyzeFaces } from '../engine/face/analyze.ts';
import { FaceSwapError, toErrorInfo } from '../engine/errors.ts';
import { isOutputFormat, type OutputFormat } from '../engine/formats.ts';
import { QUALITIES, type Quality } from '../engine/job.ts';
import { runSwapJob, SWAP_ANALYSIS } from '../engine/swap-job.ts';
import { decodeImage, encodeImage } from './codec.ts';
import { createNodeBackend } from './ort-node-backend.ts';

const USAGE = 'npm run swap -- --source A --target B --out C [--quality standard|high|4k] [--format png|jpg|webp] [--face-index N] [--source-face-index N] [--keep-beard]';

/** The headless entry: one JSON line on stdout with the seed's field names; errors as `success: false` and exit 1. */
async function main(argv: string[]): Promise<number> {
  try {
    const options = parseOptions(argv);
    const backend = createNodeBackend();
    const [sourceBytes, targetBytes] = await Promise.all([readInput(options.source, 'source'), readInput(options.target, 'target')]);
    const [source, target] = await Promise.all([decodeImage(sourceBytes, 'source'), decodeImage(targetBytes, 'target')]);
    const result = await runSwapJob(
      { analyse: (role, image) => analyzeFaces(backend, image, role, SWAP_ANALYSIS), encode: encodeImage },
      source,
      target,
      { quality: options.quality, outputFormat: options.format, faceIndex: options.faceIndex, sourceFaceIndex: options.sourceFaceIndex, keepBeard: options.keepBeard },
    );
    await writeFile(options.out, result.encoded);
    print({
      success: true,
      job_id: result.jobId,
      output_path: options.out,
      output_format: result.outputFormat,
      resolution: result.resolution,
      processing_time: result.processingTime,
      faces_detected: result.facesDetected,
      faces_swapped: result.facesSwapped,
      source_enlargement: result.sourceEnlargement,
      source_hair_cover: result.sourceHairCover,
    });
    return 0;
  } catch (caught) {
    const { code, message, image } = toErrorInfo(caught);
    print({ success: false, error: code, message, ...(image ? { image } : {}) });
    return code === 'INVALID_ARGUMENT' ? 2 : 1;
  }
}

interface CliOptions {
  source: string;
  target: string;
  out: string;
  quality: Quality;
  format: OutputFormat;
  faceIndex: number | null;
  sourceFaceIndex: number | null;
  keepBeard: boolean;
}

function parseOptions(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        source: { type: 'string' },
        target: { type: 'string' },
        out: { type: 'string' },
        quality: { type: 'string', default: 'high' },
        format: { type: 'string' },
        'face-index': { type: 'string' },
        'source-face-index': { type: 'string' },
        'keep-beard': { type: 'boolean', default: false },
      },
    }));
  } catch (caught) {
    throw usage((caught as Error).message);
  }
  const { source, target, out, quality } = values;
  if (!source || !target || !out) throw usage('--source, --target and --out are required.');
  if (!QUALITIES.includes(quality as Quality)) throw usage(`--quality must be one of ${QUALITIES.join(', ')}.`);
  const format = values.format ?? (extname(out).slice(1).toLowerCase().replace('jpeg', 'jpg') || 'png');
  if (!isOutputFormat(format)) throw usage('--format must be png, jpg or webp.');
  return { source, target, out, quality: quality as Quality, format, faceIndex: index(values['face-index']), sourceFaceIndex: index(values['source-face-index']), keepBeard: values['keep-beard'] };
}

function index(value: string | undefined): number | null {
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw usage(`A face index is a whole number from 0; got "${value}".`);
  return Number(value);
}

function usage(problem: string): FaceSwapError {
  return new FaceSwapError('INVALID_ARGUMENT', `${problem} Usage: ${USAGE}`);
}

async function readInput(path: string, role: 'source' | 'target'): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch {
    throw new FaceSwapError('FETCH_FAILED', `Cannot read the ${role} image file ${path}.`, role);
  }
}

function print(line: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

process.exitCode = await main(process.argv.slice(2));
