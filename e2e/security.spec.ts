import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, face, openApp, test } from './fixtures.ts';

/** The policy, directive by directive (README, "Security headers", says why each source is there). */
const CSP: Record<string, string[]> = {
  'default-src': ["'self'"],
  'script-src': ["'self'", "'wasm-unsafe-eval'"],
  'worker-src': ["'self'"],
  'style-src': ["'self'"],
  'img-src': ["'self'", 'blob:'],
  'connect-src': ["'self'", 'blob:', 'https:', 'http:'],
  'object-src': ["'none'"],
  'base-uri': ["'self'"],
  'frame-ancestors': ["'none'"],
  'form-action': ["'self'"],
};

const HEADERS: Record<string, string> = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'permissions-policy': 'camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()',
};

function parseCsp(policy: string): Record<string, string[]> {
  return Object.fromEntries(
    policy
      .split(';')
      .map((directive) => directive.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name, sources]),
  );
}

/** The headers public/_headers gives every path (`/*`), lower-cased. */
function staticHostHeaders(): Record<string, string> {
  const text = readFileSync(fileURLToPath(new URL('../public/_headers', import.meta.url)), 'utf8');
  const headers: Record<string, string> = {};
  let path = '';
  for (const line of text.split('\n')) {
    if (/^\S/.test(line) && !line.startsWith('#')) path = line.trim();
    const header = /^\s+([\w-]+):\s*(.+)$/.exec(line);
    if (header && path === '/*') headers[header[1].toLowerCase()] = header[2].trim();
  }
  return headers;
}

test('the document, its scripts, the engine worker and the service worker are served with the security headers', async ({ page }) => {
  const response = (await page.goto('/'))!;
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
  // A worker enforces the policy its own script came with, not the page's: check those responses too.
  const script = await page.locator('script[type="module"][src]').first().getAttribute('src');
  const urls = [page.url(), new URL(script!, page.url()).href, ...page.workers().map((worker) => worker.url()), new URL('/sw.js', page.url()).href];
  expect(page.workers().length).toBeGreaterThan(0);
  for (const url of urls) {
    const headers = url === page.url() ? response.headers() : (await page.request.get(url)).headers();
    expect(headers, url).toMatchObject(HEADERS);
    expect(parseCsp(headers['content-security-policy']), url).toEqual(CSP);
  }
  // Static hosts get the same from public/_headers.
  const forStaticHosts = staticHostHeaders();
  expect(forStaticHosts).toMatchObject(HEADERS);
  expect(parseCsp(forStaticHosts['content-security-policy'])).toEqual(CSP);
  expect(Object.keys(forStaticHosts).sort()).toEqual([...Object.keys(HEADERS), 'content-security-policy'].sort());
});

test('the app works under the policy without a single violation, and the policy is really enforced', async ({ page, consoleErrors }) => {
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
  });
  const violations = () => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

  await openApp(page);
  expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
  // A picture by URL: fetched in the engine worker, under connect-src.
  await page.getByLabel('Source face: image URL or base64').fill(new URL('/pwa-512x512.png', page.url()).href);
  await page.getByRole('button', { name: 'Load source face' }).click();
  await expect(page.getByTestId('source-size')).toHaveText('512×512');
  await page.getByLabel('Source image', { exact: true }).setInputFiles(face('img1.jpg'));
  await page.getByLabel('Target image', { exact: true }).setInputFiles(face('couple.jpg'));
  await expect(page.getByTestId('source-size')).toHaveText('1382×1868');
  await expect(page.getByTestId('target-size')).toHaveText('2280×1588');
  await expect(page.getByAltText('Target image preview')).toBeVisible();

  expect(await violations()).toEqual([]);
  expect(consoleErrors).toEqual([]);

  // The control: what the policy forbids is refused, and reported to the listener above.
  const outcome = await page.evaluate(() => {
    const inline = document.createElement('script');
    inline.textContent = 'window.ranInline = true';
    document.head.append(inline);
    const styled = document.createElement('div');
    styled.innerHTML = '<p style="color: rgb(255, 0, 0)">x</p>';
    document.body.append(styled);
    const styleApplied = getComputedStyle(styled.firstElementChild!).color === 'rgb(255, 0, 0)';
    styled.remove();
    const handler = document.createElement('div');
    handler.innerHTML = '<button onclick="window.ranHandler = true">x</button>';
    document.body.append(handler);
    handler.querySelector('button')!.click();
    handler.remove();
    return { inline: 'ranInline' in window, styleApplied, handler: 'ranHandler' in window };
  });
  expect(outcome).toEqual({ inline: false, styleApplied: false, handler: false });
  await expect.poll(violations).toEqual(expect.arrayContaining([expect.stringMatching(/^script-src-elem inline/), expect.stringMatching(/^style-src-attr inline/), expect.stringMatching(/^script-src-attr inline/)]));
});
