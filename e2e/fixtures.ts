import { test as base, expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The real photos shared beside the repository (see ../shared/data/faces/README.md). */
export const facesDir = fileURLToPath(new URL('../../shared/data/faces/', import.meta.url));
export const face = (name: string) => `${facesDir}${name}`;
/** A photo's bytes as base64, to hand to the page's programmatic API. */
export const faceBase64 = (name: string) => readFileSync(face(name)).toString('base64');

/** A page whose console errors and uncaught exceptions are collected, to assert none happened. */
export const test = base.extend<{ consoleErrors: string[] }>({
  consoleErrors: async ({ page }, use) => {
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    await use(errors);
  },
});

export { expect };

/** Opens the app and waits until the engine has started. */
export async function openApp(page: Page): Promise<void> {
  await page.goto('/');
  await expect(page.getByRole('status', { name: 'Engine' })).toHaveAttribute('data-backend', /^(webgpu|wasm)$/);
}
