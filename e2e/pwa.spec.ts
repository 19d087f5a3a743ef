import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, request as forward, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';
import { expect, face, test as base } from './fixtures.ts';

const root = fileURLToPath(new URL('../', import.meta.url));

/**
 * A production server of this test's own, on a copy of dist/ (a build elsewhere cannot change it mid-test, and a test
 * can "deploy" into it): `vite preview` with the real headers, behind a logging proxy. `log` is every request that
 * reached the network; `stop()` takes both down, so that afterwards nothing at all answers on that port.
 */
interface AppServer {
  origin: string;
  dist: string;
  log: string[];
  stop(): Promise<void>;
}

const test = base.extend<{ server: AppServer }>({
  server: async ({}, use, testInfo) => {
    const dist = testInfo.outputPath('dist');
    cpSync(`${root}dist`, dist, { recursive: true });
    const vitePort = await freePort();
    const vite = spawn(process.execPath, [`${root}node_modules/vite/bin/vite.js`, 'preview', '--outDir', dist, '--host', '127.0.0.1', '--port', String(vitePort), '--strictPort'], {
      cwd: root,
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => vite.once('exit', resolve));
    const log: string[] = [];
    const proxy = createServer((req, res) => {
      log.push(`${req.method} ${req.url}`);
      const upstream = forward({ host: '127.0.0.1', port: vitePort, path: req.url, method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
    });
    let running = true;
    const stop = async () => {
      if (!running) return;
      running = false;
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
      vite.kill();
      await exited;
    };
    try {
      const port = await listen(proxy);
      const origin = `http://127.0.0.1:${port}`;
      await expect.poll(() => fetch(origin).then((r) => r.status, () => 0), { timeout: 30_000 }).toBe(200);
      log.length = 0;
      await use({ origin, dist, log, stop });
    } finally {
      await stop();
    }
  },
});

test.use({ serviceWorkers: 'allow' });

test('the app is installable: a valid manifest, icons, and a service worker that controls the page after a reload', async ({ page, server, consoleErrors }) => {
  await page.goto(server.origin);
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);

  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  const response = await page.request.get(new URL(href!, server.origin).href);
  expect(response.headers()['content-type']).toContain('manifest+json');
  const manifest = await response.json();
  expect(manifest).toMatchObject({ name: 'Face Swap Studio', short_name: expect.any(String), display: 'standalone', start_url: '/', theme_color: '#4f46e5' });
  const icons: { src: string; sizes: string; type: string; purpose?: string }[] = manifest.icons;
  for (const [sizes, purpose] of [['192x192', 'any'], ['512x512', 'any'], ['512x512', 'maskable']]) {
    const icon = icons.find((i) => i.sizes === sizes && (i.purpose ?? 'any').split(' ').includes(purpose));
    expect(icon, `${sizes} ${purpose} icon`).toBeDefined();
    const png = await (await page.request.get(new URL(icon!.src, server.origin).href)).body();
    expect(`${png.readUInt32BE(16)}x${png.readUInt32BE(20)}`).toBe(sizes);
  }

  await serviceWorkerActivated(page);
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${server.origin}/sw.js`);

  expect(consoleErrors).toEqual([]);
});

test('Chromium itself finds the app installable', async ({ playwright, server }, testInfo) => {
  // Playwright's usual contexts are incognito, where Chromium offers no install: use a profile on disk.
  const context = await playwright.chromium.launchPersistentContext(testInfo.outputPath('profile'), {
    ...testInfo.project.use.launchOptions,
    serviceWorkers: 'allow',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(server.origin);
    await serviceWorkerActivated(page);
    await page.reload();
    const cdp = await context.newCDPSession(page);
    const { errors } = await cdp.send('Page.getAppManifest');
    expect(errors).toEqual([]);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
  } finally {
    await context.close();
  }
});

test('the wasm and the models are downloaded once: the precache fetches them, the app then reads them from it', async ({ page, server }) => {
  await page.goto(server.origin);
  await serviceWorkerActivated(page);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);

  const heavy = precacheUrls(server.dist).filter((url) => /\.(wasm|onnx)$/.test(url));
  // ORT's plain build (the WASM backend) and its asyncify build (WebGPU): either may run offline.
  expect(heavy.filter((url) => url.endsWith('.wasm'))).toHaveLength(2);
  // The runtime asks for `models/<name>.onnx` with no query, the same URL the precache stored (its revision is in
  // the cache key, not in the URL asked for), so these are answered from Cache Storage.
  for (const url of heavy) {
    const bytes = await page.evaluate(async (path) => (await (await fetch(path)).arrayBuffer()).byteLength, `/${url}`);
    expect(bytes, url).toBe(readFileSync(`${server.dist}/${url}`).byteLength);
  }
  for (const url of heavy) expect(server.log.filter((line) => line === `GET /${url}`), url).toHaveLength(1);
});

test('once installed, the engine makes its models\' sessions from the precache as soon as it starts, before any picture is given', async ({ page, server }) => {
  await page.goto(server.origin);
  await serviceWorkerActivated(page);
  // The first visit made none: the precache was still downloading the models (four), and the engine would have
  // downloaded them again.
  const downloads = () => server.log.filter((line) => line.endsWith('.onnx') || line.endsWith('.wasm'));
  expect(downloads()).toHaveLength(4 + 2);
  const fetched: string[] = [];
  page.on('requestfinished', (request) => fetched.push(new URL(request.url()).pathname));
  await page.reload();
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
  // While the person chooses pictures: made for the first picture, they held up its faces by seconds.
  await expect.poll(() => fetched.filter((path) => /\/models\/(blazeface|facemesh|iris)\.onnx$/.test(path)).sort()).toEqual(['/models/blazeface.onnx', '/models/facemesh.onnx', '/models/iris.onnx']);
  expect(downloads()).toHaveLength(4 + 2);
});

test('once installed, the app works with the network gone: it loads, starts its engine, decodes photos, swaps and downloads', async ({ page, context, server, consoleErrors }) => {
  await page.goto(server.origin);
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
  await serviceWorkerActivated(page);
  // The whole precache is in Cache Storage (the install only succeeds once it is, but check it all the same).
  const cached = await page.evaluate(async () => {
    const paths: string[] = [];
    for (const name of await caches.keys()) for (const request of await (await caches.open(name)).keys()) paths.push(new URL(request.url).pathname);
    return paths;
  });
  expect(cached.sort()).toEqual(precacheUrls(server.dist).map((url) => `/${url}`).sort());

  // Cut the network for real: the server is gone (nothing listens on its port any more), and the browser is offline.
  await server.stop();
  await expect(fetch(server.origin)).rejects.toThrow();
  await context.setOffline(true);
  const failed: string[] = [];
  context.on('requestfailed', (request) => failed.push(request.url()));

  await page.reload();
  await expect(page.getByRole('heading', { name: 'Face Swap Studio' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
  // The cached responses kept their headers: still cross-origin isolated, so WASM still gets its threads.
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);

  // A fetch made inside the engine worker (as the runtime's model downloads are) is answered by the service worker.
  await page.getByLabel('Target image: image URL or base64').fill(`${server.origin}/pwa-512x512.png`);
  await page.getByRole('button', { name: 'Load target image' }).click();
  await expect(page.getByTestId('target-size')).toHaveText('512×512');

  await page.getByLabel('Source image', { exact: true }).setInputFiles(face('img1.jpg'));
  await page.getByLabel('Target image', { exact: true }).setInputFiles(face('couple.jpg'));
  await expect(page.getByTestId('source-size')).toHaveText('1382×1868');
  await expect(page.getByTestId('target-size')).toHaveText('2280×1588');

  // A full swap with the models from the cache, and its download.
  await expect(page.getByTestId('target-faces')).toHaveAttribute('data-count', '2', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Swap faces', exact: true }).click();
  const result = page.getByTestId('result');
  await expect(result).toHaveAttribute('data-job-id', /^job_/, { timeout: 80_000 });
  const jobId = await result.getAttribute('data-job-id');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download', exact: true }).click()]);
  expect(download.suggestedFilename()).toBe(`faceswap-${jobId}.png`);
  const bytes = readFileSync((await download.path())!);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

  expect(failed).toEqual([]);
  expect(consoleErrors).toEqual([]);
});

test('a new deployment is offered, and "Reload" moves the page onto it', async ({ page, server }) => {
  await page.goto(server.origin);
  const prompt = page.getByRole('status', { name: 'App update' });
  // The first install ends with the news that the app now works offline.
  await expect(prompt).toContainText('works offline');
  await prompt.getByRole('button', { name: 'OK' }).click();
  await expect(prompt).toHaveCount(0);
  await page.reload();
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
  await expect(prompt).toHaveCount(0);

  deploy(server.dist, (html) => html.replace('<title>', '<title>v2 · '));
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  await expect(prompt).toContainText('A new version');
  await expect(page).not.toHaveTitle(/^v2 · /);
  await prompt.getByRole('button', { name: 'Reload' }).click();
  await expect(page).toHaveTitle(/^v2 · /);
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
});

/** Resolves once the service worker is activated, which workbox allows only after the whole precache is stored. */
async function serviceWorkerActivated(page: Page): Promise<void> {
  await page.evaluate(async () => {
    // A worker whose install fails never gets ready: say so rather than leave the test to time out. (Chromium gives
    // a profile on disk almost no storage when the disk is nearly full, and precaching the models then fails.)
    let timer: ReturnType<typeof setTimeout> | undefined;
    const failed = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('The service worker did not activate within 30 s: its install (precaching) failed or hangs.')), 30_000);
    });
    try {
      const registration = await Promise.race([navigator.serviceWorker.ready, failed]);
      const worker = registration.active!;
      if (worker.state !== 'activated') await Promise.race([new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve(null))), failed]);
    } finally {
      clearTimeout(timer);
    }
  });
}

/** The precache manifest workbox wrote into sw.js, as paths relative to the site root. */
function precacheUrls(dist: string): string[] {
  const sw = readFileSync(`${dist}/sw.js`, 'utf8');
  return [...sw.matchAll(/\{url:"([^"]+)",revision:/g)].map((match) => match[1]);
}

/** Changes index.html as a new build would, with the revision that the new build's sw.js would carry. */
function deploy(dist: string, change: (html: string) => string): void {
  const before = readFileSync(`${dist}/index.html`);
  const after = change(before.toString('utf8'));
  writeFileSync(`${dist}/index.html`, after);
  const md5 = (data: string | Buffer) => createHash('md5').update(data).digest('hex');
  const sw = readFileSync(`${dist}/sw.js`, 'utf8');
  const updated = sw.replace(`{url:"index.html",revision:"${md5(before)}"}`, `{url:"index.html",revision:"${md5(after)}"}`);
  expect(updated).not.toBe(sw);
  writeFileSync(`${dist}/sw.js`, updated);
}

function listen(server: Server, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function freePort(): Promise<number> {
  const probe = createServer();
  const port = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
