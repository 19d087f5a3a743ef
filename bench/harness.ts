/**
 * What the browser benches share: their input pictures, written where the bench page fetches them, and the bench page
 * itself (bench/browser) served by Vite's dev server to Debian's headless Chromium.
 */
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { chromium, type Page } from '@playwright/test';
import sharp from 'sharp';
import { createServer, type ViteDevServer } from 'vite';
import { facesDir } from '../test/faces.ts';

/** The source of every bench swap: img1, a 1382x1868 portrait. */
export const SPEED_SOURCE = new Uint8Array(readFileSync(`${facesDir}img1.jpg`));

const frame = (file: string, width: number, height: number) =>
  sharp(`${facesDir}${file}`).resize(width, height, { fit: 'cover', kernel: 'lanczos3' }).jpeg({ quality: 92 }).toBuffer().then((b) => new Uint8Array(b));

/**
 * Writes the source and the targets into bench/out (the page fetches its inputs from the dev server: no multi-megabyte
 * arguments through the DevTools protocol): the couple photo (two faces) at 1080p and 4K, and a one-face 1080p picture
 * (img38, already about 16:9). Returns the targets by name; each is at `benchUrl(`speed-target-${name}.jpg`)`.
 */
export async function writeSpeedInputs(): Promise<Record<'1080p' | '1080p-1face' | '4K', Uint8Array>> {
  const targets = { '1080p': await frame('couple.jpg', 1920, 1080), '1080p-1face': await frame('img38.jpg', 1920, 1080), '4K': await frame('couple.jpg', 3840, 2160) };
  await mkdir('bench/out', { recursive: true });
  await writeFile('bench/out/speed-source.jpg', SPEED_SOURCE);
  for (const [name, bytes] of Object.entries(targets)) await writeFile(`bench/out/speed-target-${name}.jpg`, bytes);
  return targets;
}

/** Where the bench page fetches a file written into bench/out. */
export const benchUrl = (file: string) => `/bench/out/${file}`;

/** The median of some numbers. */
export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export interface BenchBrowser {
  /** A new page (in a context of its own: nothing compiled or cached before) on the bench page, its worker ready. */
  openBenchPage(): Promise<Page>;
  close(): Promise<void>;
}

export async function startBenchBrowser(): Promise<BenchBrowser> {
  // Crawl the bench page up front, so the dev server does not reload the page mid-run to add a dependency.
  // No file watching either: an edit elsewhere in the tree must not reload the page mid-run.
  const server: ViteDevServer = await createServer({
    server: { port: 5199, strictPort: true, hmr: false, watch: { ignored: ['**/*'] } },
    logLevel: 'error',
    optimizeDeps: { entries: ['bench/browser/index.html'] },
  });
  await server.listen();
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  return {
    async openBenchPage() {
      const page = await (await browser.newContext()).newPage();
      await page.goto('http://localhost:5199/bench/browser/index.html');
      await page.waitForFunction(() => window.bench !== undefined);
      return page;
    },
    async close() {
      await browser.close();
      await server.close();
    },
  };
}
