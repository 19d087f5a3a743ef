import { writeFileSync } from 'node:fs';
import { expect, face, faceBase64, test } from './fixtures.ts';

// The service worker must run: its own fetches (the precache) are part of what is recorded.
test.use({ serviceWorkers: 'allow' });

interface Recorded {
  url: string;
  method: string;
  body: string | null;
  /** Sent by the service worker itself (its precache downloads), rather than by the page or one of its workers. */
  serviceWorker: boolean;
}

test('a whole session (load, analyse, swap, download, history) sends nothing anywhere: every request, from the page, its workers and the service worker, is a body-less GET to the app itself', async ({
  page,
  context,
  baseURL,
}, testInfo) => {
  const origin = new URL(baseURL!).origin;
  const requests: Recorded[] = [];
  const sockets: string[] = [];
  context.on('request', (request) =>
    requests.push({ url: request.url(), method: request.method(), body: request.postData(), serviceWorker: request.serviceWorker() !== null }),
  );
  page.on('websocket', (socket) => sockets.push(socket.url()));

  // First visit: the service worker installs and downloads the precache (app, wasm, models).
  await page.goto('/');
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
  await page.evaluate(async () => {
    const worker = (await navigator.serviceWorker.ready).active!;
    if (worker.state !== 'activated') await new Promise((resolve) => worker.addEventListener('statechange', () => worker.state === 'activated' && resolve(null)));
  });
  // Second visit, under the service worker; every way of giving a picture that stays on the device.
  await page.reload();
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
  await page.getByLabel('Source image', { exact: true }).setInputFiles(face('img1.jpg'));
  await page.getByLabel('Target image', { exact: true }).setInputFiles(face('couple.jpg'));
  await expect(page.getByTestId('source-size')).toHaveText('1382×1868');
  await expect(page.getByTestId('target-size')).toHaveText('2280×1588');
  const base64 = faceBase64('img12.jpg');
  await page.getByLabel('Source face: image URL or base64').fill(`data:image/jpeg;base64,${base64}`);
  await page.getByRole('button', { name: 'Load source face' }).click();
  await expect(page.getByTestId('source-size')).not.toHaveText('1382×1868');
  await page.getByLabel('Target image: image URL or base64').fill(base64);
  await page.getByRole('button', { name: 'Load target image' }).click();
  await expect(page.getByTestId('target-size')).not.toHaveText('2280×1588');
  // A picture by URL is fetched by the engine worker: one on the app's own origin shows that the recorder sees the
  // worker's requests too.
  await page.getByLabel('Target image: image URL or base64').fill(`${origin}/pwa-512x512.png`);
  await page.getByRole('button', { name: 'Load target image' }).click();
  await expect(page.getByTestId('target-size')).toHaveText('512×512');

  // Analyse, swap, download, and the history after a reload: the rest of a session.
  await page.getByLabel('Target image', { exact: true }).setInputFiles(face('couple.jpg'));
  await expect(page.getByTestId('target-faces')).toHaveAttribute('data-count', '2', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Swap faces', exact: true }).click();
  await expect(page.getByTestId('result')).toHaveAttribute('data-job-id', /^job_/, { timeout: 80_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download', exact: true }).click()]);
  expect(await download.path()).toBeTruthy();
  await page.reload();
  const history = page.getByTestId('history-item');
  await expect(history).toHaveCount(1);
  await Promise.all([page.waitForEvent('download'), history.first().getByRole('button', { name: /^Save/ }).click()]);

  // The record covers every sender: the page, the service worker (the models it precached), and the engine worker
  // (nothing but its fetch of that URL asks for the icon outside the service worker).
  expect(requests.some((r) => !r.serviceWorker && r.url === `${origin}/`)).toBe(true);
  expect(requests.some((r) => r.serviceWorker && r.url.endsWith('.onnx'))).toBe(true);
  expect(requests.some((r) => !r.serviceWorker && r.url === `${origin}/pwa-512x512.png`)).toBe(true);

  writeFileSync(testInfo.outputPath('requests.json'), JSON.stringify(requests, null, 2));
  const offending = requests.filter((r) => !staysOnDevice(r.url, origin) || r.method !== 'GET' || r.body !== null);
  expect(offending).toEqual([]);
  expect(sockets).toEqual([]);
});

/** The app's own origin, or a URL that is only a handle on local data (blob: of this origin, data:). */
function staysOnDevice(url: string, origin: string): boolean {
  if (url.startsWith('data:')) return true;
  return new URL(url).origin === origin;
}
