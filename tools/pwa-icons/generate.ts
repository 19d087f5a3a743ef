/**
 * Renders the PWA icons in public/ from public/favicon.svg. Run once after changing the favicon:
 *   npx tsx tools/pwa-icons/generate.ts
 * The PNGs are committed; the build does not run this.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const publicDir = fileURLToPath(new URL('../../public/', import.meta.url));
const favicon = readFileSync(`${publicDir}favicon.svg`, 'utf8').trim();

/** The favicon's two rings without its rounded tile, for the maskable icon's full-bleed background. */
const rings = favicon.replace(/<rect[^>]*\/>/, '');
if (rings === favicon) throw new Error('favicon.svg changed shape: expected a <rect> tile to strip for the maskable icon');

/**
 * Maskable icons are cropped by launchers to as little as a centred circle of 80% of their side: paint the brand
 * colour edge to edge and keep the rings well inside that circle (their farthest point is 23 units from the centre;
 * scaled by 0.9 that is 21 of the 25.6 allowed).
 */
const maskable = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#4f46e5"/><g transform="translate(32 32) scale(0.9) translate(-32 -32)">${rings.replace(/^<svg[^>]*>|<\/svg>$/g, '')}</g></svg>`;

async function render(svg: string, size: number, file: string): Promise<void> {
  await sharp(Buffer.from(svg), { density: Math.ceil((72 * size) / 64) })
    .resize(size, size)
    .png({ compressionLevel: 9 })
    .toFile(`${publicDir}${file}`);
  console.log(`public/${file}`);
}

await render(favicon, 192, 'pwa-192x192.png');
await render(favicon, 512, 'pwa-512x512.png');
await render(maskable, 512, 'pwa-maskable-512x512.png');
// iOS ignores the manifest's icons and rounds its own corners: give it the full-bleed square.
await render(maskable, 180, 'apple-touch-icon.png');
