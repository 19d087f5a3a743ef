import AxeBuilder from '@axe-core/playwright';
import type { Download, Locator, Page, TestInfo } from '@playwright/test';
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { expect, face, faceBase64, openApp, test } from './fixtures.ts';

/** The first bytes of each output format. */
const MAGIC: Record<string, (bytes: Buffer) => boolean> = {
  png: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  jpg: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  webp: (b) => b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP',
};
const FORMAT_LABEL = { png: 'PNG', jpg: 'JPG', webp: 'WebP' } as const;

// Journeys that analyse and swap several times: more time than the default 90 s.
test.describe.configure({ timeout: 240_000 });

const region = (page: Page, role: 'source' | 'target') => page.locator(`section[data-role="${role}"]`);

/** Saves a full-page screenshot of a state under the test's output folder. */
async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

/** Gives both pictures through the file inputs and waits until their faces are found. */
async function choosePictures(page: Page, source: string, target: string): Promise<void> {
  await page.getByLabel('Source image', { exact: true }).setInputFiles(source);
  await page.getByLabel('Target image', { exact: true }).setInputFiles(target);
  await expect(page.getByTestId('source-faces')).toHaveAttribute('data-count', /^[1-9]\d*$/, { timeout: 60_000 });
  await expect(page.getByTestId('target-faces')).toHaveAttribute('data-count', /^[1-9]\d*$/, { timeout: 60_000 });
}

/** Chooses the output format, swaps, and waits for the new result; returns its job id. */
async function swap(page: Page, format: keyof typeof FORMAT_LABEL): Promise<string> {
  await page.getByRole('radio', { name: FORMAT_LABEL[format], exact: true }).check();
  const result = page.getByTestId('result');
  const previous = (await result.count()) > 0 ? await result.getAttribute('data-job-id') : '';
  await page.getByRole('button', { name: 'Swap faces', exact: true }).click();
  await expect(result).toHaveAttribute('data-job-id', /.+/, { timeout: 80_000 });
  await expect(result).not.toHaveAttribute('data-job-id', previous ?? '');
  return (await result.getAttribute('data-job-id'))!;
}

/** Clicks something that downloads and returns the download with its bytes. */
async function downloadFrom(page: Page, trigger: Locator): Promise<{ download: Download; bytes: Buffer }> {
  const [download] = await Promise.all([page.waitForEvent('download'), trigger.click()]);
  return { download, bytes: readFileSync((await download.path())!) };
}

/** A picture without any face: a crop of the backdrop between the two heads of couple.jpg. */
async function facelessPicture(testInfo: TestInfo): Promise<string> {
  const path = testInfo.outputPath('backdrop.jpg');
  await sharp(face('couple.jpg')).extract({ left: 950, top: 150, width: 300, height: 400 }).jpeg().toFile(path);
  return path;
}

test('the whole journey: faces outlined on couple.jpg, face 2 picked, swapped, downloaded in each format, kept in the history', async ({ page, consoleErrors }, testInfo) => {
  await openApp(page);
  await shot(page, testInfo, '01-empty');
  await choosePictures(page, face('img1.jpg'), face('couple.jpg'));

  const target = region(page, 'target');
  await expect(page.getByTestId('target-faces')).toHaveAttribute('data-count', '2');
  await expect(target.locator('[data-face-index]')).toHaveCount(2);
  const allFaces = target.getByRole('radio', { name: 'All faces' });
  await expect(allFaces).toBeChecked();
  // Outlines sit on the faces: left to right, each inside the picture.
  const boxes = await target.locator('[data-face-index]').evaluateAll((nodes) => nodes.map((n) => n.getBoundingClientRect().x));
  expect(boxes[0]).toBeLessThan(boxes[1]);

  // Keyboard: the face radios and "All faces" form one group; arrows move the choice.
  await target.getByRole('radio', { name: 'Face 1', exact: true }).check();
  await page.keyboard.press('ArrowRight');
  await expect(target.getByRole('radio', { name: 'Face 2', exact: true })).toBeChecked();
  await expect(target.getByRole('radio', { name: 'Face 2', exact: true })).toBeFocused();
  await expect(allFaces).not.toBeChecked();
  await shot(page, testInfo, '02-faces-outlined-face-2-picked');

  // PNG first; progress by stage while it runs.
  await page.getByRole('radio', { name: 'PNG', exact: true }).check();
  await page.getByRole('button', { name: 'Swap faces', exact: true }).click();
  await expect(page.getByTestId('swap-progress')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Cancel', exact: true })).toBeVisible();
  await shot(page, testInfo, '03-swapping');
  const result = page.getByTestId('result');
  await expect(result).toHaveAttribute('data-job-id', /.+/, { timeout: 80_000 });
  await expect(page.getByTestId('swap-progress')).toHaveCount(0);
  const jobs = [(await result.getAttribute('data-job-id'))!];

  await expect(result.getByRole('img', { name: 'Swapped result' })).toBeVisible();
  await expect(result).toHaveAttribute('data-faces-swapped', '1');
  await expect(page.getByTestId('result-resolution')).toHaveText(/^\d+x\d+$/);
  await expect(page.getByTestId('result-processing-time')).toHaveText(/^\d[\d,]* ms$/);
  await expect(page.getByTestId('result-faces-detected')).toHaveText('2');
  await expect(page.getByTestId('result-job-id')).toHaveText(jobs[0]);
  await expect(page.getByRole('heading', { name: 'Result' })).toBeFocused();
  // img1's face is about as large as couple's, and clear of hair: no advice.
  await expect(page.getByTestId('softness-note')).toHaveCount(0);
  await expect(page.getByTestId('hair-note')).toHaveCount(0);
  await expect(page.getByTestId('source-hair-hint')).toHaveCount(0);
  // Neither face of couple.jpg has a beard.
  await expect(page.getByTestId('target-beard-hint')).toHaveCount(0);
  await expect(page.getByTestId('beard-note')).toHaveCount(0);
  await shot(page, testInfo, '04-result');

  // The compare slider and zoom work from the keyboard.
  const compare = page.getByRole('slider', { name: 'Before / after' });
  await compare.focus();
  await page.keyboard.press('Home');
  await expect(compare).toHaveValue('0');
  await page.keyboard.press('ArrowRight');
  await expect(compare).toHaveValue('1');
  const zoom = page.getByRole('slider', { name: 'Zoom' });
  await zoom.focus();
  await page.keyboard.press('End');
  await expect(zoom).toHaveValue('400');
  await shot(page, testInfo, '05-result-zoomed');
  await page.keyboard.press('Home');

  const png = await downloadFrom(page, page.getByRole('button', { name: 'Download', exact: true }));
  expect(png.download.suggestedFilename()).toBe(`faceswap-${jobs[0]}.png`);
  expect(MAGIC.png(png.bytes)).toBe(true);

  // Change the options and swap again without giving the pictures again.
  for (const format of ['jpg', 'webp'] as const) {
    const jobId = await swap(page, format);
    jobs.push(jobId);
    await expect(page.getByTestId('result-file-name')).toHaveText(`faceswap-${jobId}.${format}`);
    const { download, bytes } = await downloadFrom(page, page.getByRole('button', { name: 'Download', exact: true }));
    expect(download.suggestedFilename()).toBe(`faceswap-${jobId}.${format}`);
    expect(MAGIC[format](bytes)).toBe(true);
  }
  expect(new Set(jobs).size).toBe(3);

  // History: newest first, survives a reload, downloads again, deletes one, clears all.
  const items = page.getByTestId('history-item');
  await expect(items).toHaveCount(3);
  await page.reload();
  await openApp(page);
  await expect(items).toHaveCount(3);
  expect(await items.evaluateAll((nodes) => nodes.map((n) => (n as HTMLElement).dataset.jobId))).toEqual([...jobs].reverse());
  await expect(items.first().getByRole('img')).toHaveJSProperty('complete', true);
  await expect.poll(() => items.first().getByRole('img').evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await shot(page, testInfo, '06-history-after-reload');

  const again = await downloadFrom(page, items.nth(2).getByRole('button', { name: /^Save/ }));
  expect(again.download.suggestedFilename()).toBe(`faceswap-${jobs[0]}.png`);
  expect(again.bytes.equals(png.bytes)).toBe(true);

  await items.nth(1).getByRole('button', { name: /^Delete/ }).click();
  await expect(items).toHaveCount(2);
  await page.reload();
  await openApp(page);
  await expect(items).toHaveCount(2);
  await page.getByRole('button', { name: 'Clear all' }).click();
  await page.getByRole('button', { name: 'Delete all' }).click();
  await expect(items).toHaveCount(0);
  await page.reload();
  await openApp(page);
  await expect(page.getByTestId('history')).toContainText('Your results appear here');
  expect(consoleErrors).toEqual([]);
});

test('"All faces" on selfie-many-people.jpg swaps every face found', async ({ page }, testInfo) => {
  await openApp(page);
  await choosePictures(page, face('img1.jpg'), face('selfie-many-people.jpg'));
  const count = Number(await page.getByTestId('target-faces').getAttribute('data-count'));
  expect(count).toBeGreaterThan(2);
  const target = region(page, 'target');
  await expect(target.locator('label[data-face-index]')).toHaveCount(count);
  await expect(target.getByRole('radio', { name: 'All faces' })).toBeChecked();
  // Faces the frame cuts (both at the left edge, the two men on the right) are outlined, numbers and all, on what
  // shows of them: inside the picture.
  const picture = (await target.locator('img').first().boundingBox())!;
  for (const outline of await target.locator('label[data-face-index]').all()) {
    for (const part of [outline, outline.locator('span[aria-hidden]')]) {
      const box = (await part.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(picture.x - 1);
      expect(box.y).toBeGreaterThanOrEqual(picture.y - 1);
      expect(box.x + box.width).toBeLessThanOrEqual(picture.x + picture.width + 1);
      expect(box.y + box.height).toBeLessThanOrEqual(picture.y + picture.height + 1);
    }
  }
  await shot(page, testInfo, '01-many-faces');

  await swap(page, 'png');
  await expect(page.getByTestId('result-faces-detected')).toHaveText(String(count));
  const swapped = (await page.getByTestId('result').getAttribute('data-faces-swapped'))!.split(',');
  expect(swapped).toHaveLength(count);
  await shot(page, testInfo, '02-all-faces-result');
});

// What of the source photo limits a result is said under it, each note alone.
const ADVICE = [
  {
    title: 'a source face much smaller than the target face: the result says it was enlarged and may look soft',
    // img34's face is about 410 px across and clear of hair, img3's about 800 px.
    source: 'img34.jpg',
    target: 'img3.jpg',
    note: 'softness-note',
    says: [/enlarged (1\.9|2\.0)×/, 'larger, sharper photo'],
    other: 'hair-note',
  },
  {
    title: 'a source face with hair over its temple and cheek: the result says strands may show, and what helps',
    // img55: hair over the picture's left temple and cheek, about 15 % of the face; img29's face is smaller.
    source: 'img55.jpg',
    target: 'img29.jpg',
    note: 'hair-note',
    says: [/Hair covers part of the source face \(about 1\d%\)/, 'clear of hair'],
    other: 'softness-note',
  },
];
for (const advice of ADVICE) {
  test(advice.title, async ({ page }, testInfo) => {
    await openApp(page);
    await choosePictures(page, face(advice.source), face(advice.target));
    // Hair over the source face is said under it as soon as its faces are found, before any swap.
    const hint = page.getByTestId('source-hair-hint');
    if (advice.note === 'hair-note') await expect(hint).toContainText(/Hair covers part of this face \(about 1\d%\)/);
    else await expect(hint).toHaveCount(0);
    await swap(page, 'jpg');
    const note = page.getByTestId(advice.note);
    await expect(note).toBeVisible();
    for (const text of advice.says) await expect(note).toContainText(text);
    await expect(page.getByTestId(advice.other)).toHaveCount(0);
    await shot(page, testInfo, advice.note);
  });
}

test("the target's beard kept when asked (img13 -> img16), and the choice remembered", async ({ page }, testInfo) => {
  await openApp(page);
  await choosePictures(page, face('img13.jpg'), face('img16.jpg'));
  // The mean luma of the result over img16's beard between the mouth corners and the chin (74 in img16 itself).
  const chinLuma = () =>
    page.getByTestId('result-image').evaluate(async (img: HTMLImageElement) => {
      const bitmap = await createImageBitmap(await (await fetch(img.src)).blob());
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const { data } = ctx.getImageData(340, 288, 80, 30);
      let sum = 0;
      for (let i = 0; i < data.length; i += 4) sum += 0.299 * data[i] + 0.587 * data[i + 1] + 0.114 * data[i + 2];
      return sum / (data.length / 4);
    });
  const beard = page.getByRole('group', { name: "Target's beard" });
  await expect(beard.getByRole('radio', { name: 'Replace', exact: true })).toBeChecked();
  // Said under the target as soon as its face is found; gone once the beard is to be kept.
  const hint = page.getByTestId('target-beard-hint');
  await expect(hint).toContainText('This face has a beard');
  await shot(page, testInfo, 'beard-hint');
  await swap(page, 'png');
  const replaced = await chinLuma();
  // The result says the beard was replaced; its button swaps again keeping it (and chooses Keep).
  const note = page.getByTestId('beard-note');
  await expect(note).toContainText("The target's beard was replaced");
  await shot(page, testInfo, 'beard-note');
  const result = page.getByTestId('result');
  const first = await result.getAttribute('data-job-id');
  await note.getByRole('button', { name: 'Swap again, keeping the beard' }).click();
  await expect(result).not.toHaveAttribute('data-job-id', first!, { timeout: 80_000 });
  await expect(beard.getByRole('radio', { name: 'Keep', exact: true })).toBeChecked();
  await expect(hint).toHaveCount(0);
  await expect(note).toHaveCount(0);
  const kept = await chinLuma();
  await shot(page, testInfo, 'beard-kept');
  // img13's pale skin (about 117), or the beard (about 79).
  expect(replaced - kept).toBeGreaterThan(25);
  expect(kept).toBeLessThan(90);
  await page.reload();
  await expect(page.getByRole('group', { name: "Target's beard" }).getByRole('radio', { name: 'Keep', exact: true })).toBeChecked();
  // Back to Replace, the hint under the target is back, and its button chooses Keep.
  await choosePictures(page, face('img13.jpg'), face('img16.jpg'));
  await page.getByRole('group', { name: "Target's beard" }).getByRole('radio', { name: 'Replace', exact: true }).check();
  await page.getByTestId('target-beard-hint').getByRole('button', { name: 'Keep the beard' }).click();
  await expect(page.getByRole('group', { name: "Target's beard" }).getByRole('radio', { name: 'Keep', exact: true })).toBeChecked();
  await expect(page.getByTestId('target-beard-hint')).toHaveCount(0);
});

test('a source face wearing glasses: said under it before any swap (img25), and not for one without (img13)', async ({ page }, testInfo) => {
  await openApp(page);
  await choosePictures(page, face('img25.jpg'), face('img29.jpg'));
  const hint = page.getByTestId('source-glasses-hint');
  await expect(hint).toContainText('This face wears glasses');
  await expect(hint).toContainText('A photo without glasses');
  await shot(page, testInfo, 'glasses-hint');
  await page.getByLabel('Source image', { exact: true }).setInputFiles(face('img13.jpg'));
  await expect(page.getByTestId('source-faces')).toHaveAttribute('data-count', '1');
  await expect(hint).toHaveCount(0);
});

test('a source with several faces: the picker chooses the source face', async ({ page }) => {
  await openApp(page);
  await choosePictures(page, face('couple.jpg'), face('img2.jpg'));
  const source = region(page, 'source');
  await expect(source.getByRole('radio')).toHaveCount(2);
  await expect(source.getByRole('radio', { name: 'All faces' })).toHaveCount(0);
  // The largest face is chosen to begin with; another can be.
  await expect(source.getByRole('radio', { checked: true })).toHaveCount(1);
  await source.getByRole('radio', { name: 'Face 1', exact: true }).check();
  await expect(source.getByRole('radio', { name: 'Face 1', exact: true })).toBeChecked();
  await swap(page, 'jpg');
  await expect(page.getByTestId('result-faces-detected')).toHaveText('1');
});

test('each error is shown in plain words next to its image, and nothing given is lost', async ({ page }, testInfo) => {
  await openApp(page);
  const sourceInput = page.getByLabel('Source image', { exact: true });
  const targetInput = page.getByLabel('Target image', { exact: true });
  const sourceError = page.getByTestId('source-error');
  const targetError = page.getByTestId('target-error');
  const swapButton = page.getByRole('button', { name: 'Swap faces', exact: true });
  await expect(swapButton).toHaveAttribute('aria-disabled', 'true');

  // NO_FACE_DETECTED on the target, found as soon as it is given.
  const backdrop = await facelessPicture(testInfo);
  await sourceInput.setInputFiles(face('img1.jpg'));
  await targetInput.setInputFiles(backdrop);
  await expect(targetError).toHaveAttribute('data-code', 'NO_FACE_DETECTED', { timeout: 60_000 });
  await expect(targetError).toContainText(/target/i);
  await expect(sourceError).toHaveCount(0);
  await expect(swapButton).toHaveAttribute('aria-disabled', 'true');
  await expect(page.getByText('The target image has no face we can find')).toBeVisible();
  await shot(page, testInfo, '01-no-face-in-target');

  // The same picture as the source: the error moves to the source.
  await targetInput.setInputFiles(face('img2.jpg'));
  await expect(page.getByTestId('target-faces')).toHaveAttribute('data-count', '1', { timeout: 60_000 });
  await expect(targetError).toHaveCount(0);
  const sourceSize = await page.getByTestId('source-size').textContent();
  await sourceInput.setInputFiles(backdrop);
  await expect(sourceError).toHaveAttribute('data-code', 'NO_FACE_DETECTED', { timeout: 60_000 });
  await expect(targetError).toHaveCount(0);
  await expect(page.getByTestId('source-size')).not.toHaveText(sourceSize!);

  // Bad inputs keep the picture given before them.
  await sourceInput.setInputFiles(face('img1.jpg'));
  await expect(page.getByTestId('source-faces')).toHaveAttribute('data-count', '1', { timeout: 60_000 });
  const goodSource = await page.getByTestId('source-size').textContent();
  await sourceInput.setInputFiles({ name: 'notes.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('not a picture') });
  await expect(sourceError).toHaveAttribute('data-code', 'INVALID_FORMAT');
  await expect(sourceError).toContainText('source image');
  await expect(page.getByTestId('source-size')).toHaveText(goodSource!);
  await targetInput.setInputFiles({ name: 'bomb.png', mimeType: 'image/png', buffer: pngHeader(100_000, 100_000) });
  await expect(targetError).toHaveAttribute('data-code', 'IMAGE_TOO_LARGE');
  await page.getByLabel('Target image: image URL or base64').fill('http://127.0.0.1:9/missing.jpg');
  await page.getByRole('button', { name: 'Load target image' }).click();
  await expect(targetError).toHaveAttribute('data-code', 'FETCH_FAILED');
  await expect(sourceError).toHaveAttribute('data-code', 'INVALID_FORMAT');
  await shot(page, testInfo, '02-errors-beside-their-images');

  // Both pictures are still there: the swap works, and a cancelled swap changes nothing.
  await sourceError.getByRole('button', { name: 'Dismiss' }).click();
  await targetError.getByRole('button', { name: 'Dismiss' }).click();
  await expect(swapButton).not.toHaveAttribute('aria-disabled', 'true');
  await swapButton.click();
  await page.getByRole('button', { name: 'Cancel', exact: true }).click();
  await expect(page.getByText(/^Cancelled\./)).toBeVisible();
  await expect(page.getByTestId('result')).toHaveCount(0);
  await expect(page.getByTestId('source-size')).toHaveText(goodSource!);
  await swap(page, 'png');
  await expect(page.getByTestId('result-faces-detected')).toHaveText('1');
});

test('no accessibility violations (axe), empty and with faces and a result', async ({ page }, testInfo) => {
  const check = async (state: string) => {
    const { violations } = await new AxeBuilder({ page }).analyze();
    expect(violations.map((v) => `${state}: ${v.id} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`)).toEqual([]);
  };
  await openApp(page);
  await check('empty');
  await choosePictures(page, face('img1.jpg'), face('couple.jpg'));
  await check('faces outlined');
  await swap(page, 'webp');
  await check('result');
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await page.emulateMedia({ colorScheme: 'dark' });
  await check('result, dark');
  await shot(page, testInfo, 'dark-result');
});

test.describe('on a 375×812 phone screen', () => {
  test.use({ viewport: { width: 375, height: 812 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 });

  test('the journey fits the screen', async ({ page }, testInfo) => {
    const noSideScroll = async () => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    await openApp(page);
    await noSideScroll();
    await page.screenshot({ path: testInfo.outputPath('01-phone-empty.png') });
    await choosePictures(page, face('img1.jpg'), face('couple.jpg'));
    await region(page, 'target').getByRole('radio', { name: 'Face 2', exact: true }).check();
    await noSideScroll();
    await shot(page, testInfo, '02-phone-faces');
    const jobId = await swap(page, 'png');
    await noSideScroll();
    await expect(page.getByRole('button', { name: 'Download', exact: true })).toBeInViewport();
    await page.screenshot({ path: testInfo.outputPath('03-phone-result.png') });
    await shot(page, testInfo, '04-phone-full');
    const { download, bytes } = await downloadFrom(page, page.getByRole('button', { name: 'Download', exact: true }));
    expect(download.suggestedFilename()).toBe(`faceswap-${jobId}.png`);
    expect(MAGIC.png(bytes)).toBe(true);
  });
});

/** The details of the marks of this name on the engine worker's timeline, in order; null before it starts. */
async function engineMarkDetails(page: Page, name: string): Promise<unknown[] | null> {
  const engine = page.workers().find((worker) => /engine\.worker/.test(worker.url()));
  return engine ? engine.evaluate((mark) => performance.getEntriesByName(mark).map((entry) => (entry as PerformanceMark).detail), name) : null;
}

/** How many marks of this name the engine worker's timeline holds; -1 before it starts. */
async function engineMarks(page: Page, name: string): Promise<number> {
  return (await engineMarkDetails(page, name))?.length ?? -1;
}

/**
 * How many times the engine worker has looked at a source face of this photo itself (not its helper), told by the
 * picture's size: a warm-up pass on the drawn face, before any picture, looks at that one.
 */
async function engineLooksAt(page: Page, photo: string): Promise<number> {
  const { width } = await sharp(face(photo)).metadata();
  const looks = (await engineMarkDetails(page, 'faceswap:source-look')) ?? [];
  return looks.filter((detail) => (detail as { width?: number } | null)?.width === width).length;
}

/** The warm-up passes the engine worker has run (each marked once both threads have run theirs); -1 before it starts. */
const warmUpPasses = (page: Page) => engineMarks(page, 'faceswap:warm-up');

test('while the person chooses a target, the engine warms up on the source face, six passes and no more, then swaps', async ({ page }) => {
  await openApp(page);
  await page.getByLabel('Source image', { exact: true }).setInputFiles(face('img1.jpg'));
  await expect(page.getByTestId('source-faces')).toHaveAttribute('data-count', '1', { timeout: 60_000 });
  const passes = () => warmUpPasses(page);
  await expect.poll(passes, { timeout: 120_000 }).toBe(6);
  await page.getByLabel('Target image', { exact: true }).setInputFiles(face('img2.jpg'));
  await expect(page.getByTestId('target-faces')).toHaveAttribute('data-count', '1', { timeout: 60_000 });
  await swap(page, 'jpg');
  await expect(page.getByTestId('result-faces-detected')).toHaveText('1');
  // Another source: the thread's passes are spent.
  await page.getByLabel('Source image', { exact: true }).setInputFiles(face('img13.jpg'));
  await expect(page.getByTestId('source-faces')).toHaveAttribute('data-count', '1', { timeout: 60_000 });
  await page.waitForTimeout(3000);
  expect(await passes()).toBe(6);
});

test('a page left open warms up on a drawn face before any picture is given, and stops once a swap starts', async ({ page }) => {
  await openApp(page);
  // The first pass comes once the models are loaded and the thread has been idle for a second.
  await expect.poll(() => warmUpPasses(page), { timeout: 60_000 }).toBeGreaterThan(0);
  const swapped = await page.evaluate(
    async ({ source, target }) => (await window.faceSwap!.createFaceSwap().imageSwap({ sourceImage: source, targetImage: target, outputFormat: 'jpg' })).success,
    { source: faceBase64('img1.jpg'), target: faceBase64('img2.jpg') },
  );
  expect(swapped).toBe(true);
  const passes = await warmUpPasses(page);
  // Time for a pass, were one started once the swap is done (the thread idle for a second, then 1-4 s).
  await page.waitForTimeout(8000);
  expect(await warmUpPasses(page)).toBe(passes);
});

test("each picture's faces are looked for once: in the studio every face of each (the source face looked at by the helper), in a programmatic swap the source's largest", async ({ page }) => {
  await openApp(page);
  const analyses = () => engineMarks(page, 'faceswap:analysis');
  await page.getByLabel('Source image', { exact: true }).setInputFiles(face('img1.jpg'));
  await expect(page.getByTestId('source-faces')).toHaveAttribute('data-count', '1', { timeout: 60_000 });
  // The face picker asks for every source face, and they are looked for at once (the largest first, then all of them
  // again, took a 1080p source half as long again).
  expect(await analyses()).toBe(1);
  // The picker's hair cover and glasses come from the helper's look at the face, where there is a helper.
  const swapThreads = await page.evaluate(async () => (await window.faceSwap!.createFaceSwap().info()).swapThreads);
  expect(await engineLooksAt(page, 'img1.jpg')).toBe(swapThreads === 2 ? 0 : 1);
  await page.getByLabel('Target image', { exact: true }).setInputFiles(face('couple.jpg'));
  await expect(page.getByTestId('target-faces')).toHaveAttribute('data-count', '2', { timeout: 60_000 });
  expect(await analyses()).toBe(2);
  const swapped = await page.evaluate(
    async ({ source, target }) => (await window.faceSwap!.createFaceSwap().imageSwap({ sourceImage: source, targetImage: target, outputFormat: 'jpg' })).facesDetected,
    { source: faceBase64('img13.jpg'), target: faceBase64('img2.jpg') },
  );
  expect(swapped).toBe(1);
  expect(await analyses()).toBe(4);
});

test('a programmatic swap given both pictures at once looks at the source face once, in the helper where there is one', async ({ page }) => {
  await openApp(page);
  // The target is decoded first and analysed first: the helper is still looking at the source face when the swap
  // starts, and the engine thread waits for its look rather than looking again.
  const out = await page.evaluate(
    async ({ source, target }) => {
      const client = window.faceSwap!.createFaceSwap();
      const result = await client.imageSwap({ sourceImage: source, targetImage: target, outputFormat: 'jpg' });
      return { faces: result.facesDetected, swapThreads: (await client.info()).swapThreads };
    },
    { source: faceBase64('img1.jpg'), target: faceBase64('couple.jpg') },
  );
  expect(out.faces).toBe(2);
  expect(await engineLooksAt(page, 'img1.jpg')).toBe(out.swapThreads === 2 ? 0 : 1);
});

test('the programmatic API: imageSwap, analyze, coded errors, AbortSignal, download', async ({ page }) => {
  await openApp(page);
  const source = faceBase64('img1.jpg');
  const target = faceBase64('couple.jpg');
  const downloaded = page.waitForEvent('download');
  const out = await page.evaluate(
    async ({ source, target }) => {
      const api = window.faceSwap!;
      const client = api.createFaceSwap();
      const blobOf = (base64: string) => new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' });
      const faces = await client.analyze(`data:image/jpeg;base64,${target}`);
      const phases: string[] = [];
      const result = await client.imageSwap({
        sourceImage: source,
        targetImage: blobOf(target),
        quality: '4k',
        outputFormat: 'webp',
        faceIndex: 1,
        onProgress: (phase) => phases.push(phase),
      });
      const head = new Uint8Array(await result.blob.slice(0, 12).arrayBuffer());
      const shown = await new Promise<boolean>((resolve) => {
        const img = new Image();
        img.onload = () => resolve(img.naturalWidth === result.width);
        img.onerror = () => resolve(false);
        img.src = result.outputUrl;
      });
      const failure = (caught: unknown) => {
        const e = caught as InstanceType<typeof api.FaceSwapApiError>;
        return { api: e instanceof api.FaceSwapApiError, isError: e instanceof Error, code: e.code, image: e.image, message: e.message };
      };
      const bad = await client.imageSwap({ sourceImage: 'aGVsbG8gd29ybGQ=', targetImage: target }).catch(failure);
      const controller = new AbortController();
      const pending = client.imageSwap({ sourceImage: source, targetImage: target, signal: controller.signal });
      setTimeout(() => controller.abort(), 30);
      const cancelled = await pending.then(() => null, failure);
      // After a cancel the engine takes the next job as usual.
      const bitmap = await createImageBitmap(blobOf(source));
      const next = await client.imageSwap({ sourceImage: bitmap, targetImage: target, outputFormat: 'jpg', quality: 'standard' });
      await next.download('out.jpg');
      return {
        faces,
        phases: [...new Set(phases)],
        result: { jobId: result.jobId, resolution: result.resolution, facesDetected: result.facesDetected, facesSwapped: result.facesSwapped, fileName: result.fileName, processingTime: result.processingTime, outputUrl: result.outputUrl, head: [...head], shown },
        bad,
        cancelled,
        next: { facesSwapped: next.facesSwapped, outputFormat: next.outputFormat },
      };
    },
    { source, target },
  );
  expect(out.faces).toHaveLength(2);
  expect(out.faces[0].box.x).toBeLessThan(out.faces[1].box.x);
  expect(out.faces.map((f) => f.index)).toEqual([0, 1]);
  expect(out.phases).toEqual(['decode', 'models', 'detect', 'swap', 'encode'].filter((p) => out.phases.includes(p)));
  expect(out.phases).toContain('decode');
  expect(out.phases).toContain('encode');
  expect(out.result).toMatchObject({ facesDetected: 2, facesSwapped: [1], fileName: `faceswap-${out.result.jobId}.webp`, shown: true });
  expect(out.result.resolution).toMatch(/^\d+x\d+$/);
  expect(out.result.processingTime).toBeGreaterThan(0);
  expect(out.result.outputUrl).toMatch(/^blob:/);
  expect(MAGIC.webp(Buffer.from(out.result.head))).toBe(true);
  expect(out.bad).toMatchObject({ api: true, isError: true, code: 'INVALID_FORMAT', image: 'source' });
  expect(out.cancelled).toMatchObject({ api: true, code: 'CANCELLED' });
  expect(out.next).toEqual({ facesSwapped: [0, 1], outputFormat: 'jpg' });
  const download = await downloaded;
  expect(download.suggestedFilename()).toBe('out.jpg');
  expect(MAGIC.jpg(readFileSync((await download.path())!))).toBe(true);
});

// At 4k too: up to 3840 x 2160 the faces are swapped at once, so couple.jpg is cut to 16:9 (its own 3:2 would make
// 3840 x 2675 at 4k, swapped one face at a time).
for (const quality of ['high', '4k'] as const) {
  test(`both faces of couple.jpg swapped at once (a second thread where there are two cores) are each face swapped alone, and again the same after another swap, at ${quality}`, async ({ page }) => {
    await openApp(page);
    const source = faceBase64('img1.jpg');
    const otherSource = faceBase64('img22.jpg');
    const target = (await sharp(face('couple.jpg')).resize(1920, 1080, { fit: 'cover' }).jpeg({ quality: 92 }).toBuffer()).toString('base64');
    const out = await page.evaluate(
      async ({ source, otherSource, target, quality }) => {
        const client = window.faceSwap!.createFaceSwap();
        const pixels = async (faceIndex: number | null, sourceImage = source) => {
          const result = await client.imageSwap({ sourceImage, targetImage: target, outputFormat: 'png', quality, faceIndex });
          const bitmap = await createImageBitmap(result.blob);
          const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
          ctx.drawImage(bitmap, 0, 0);
          return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
        };
        const [both, first, second] = [await pixels(null), await pixels(0), await pixels(1)];
        // Where the two single swaps differ, one of them changed the pixel: the swap of both must agree with that one.
        let asFirst = 0, asSecond = 0, neither = 0;
        for (let i = 0; i < both.length; i += 4) {
          const same = (a: Uint8ClampedArray) => a[i] === both[i] && a[i + 1] === both[i + 1] && a[i + 2] === both[i + 2];
          const sameFirst = same(first), sameSecond = same(second);
          if (!sameFirst && !sameSecond) neither++;
          else if (sameFirst && !sameSecond) asFirst++;
          else if (sameSecond && !sameFirst) asSecond++;
        }
        // The same swap again after another source's: nothing the one between left in the memory it reuses shows.
        await pixels(null, otherSource);
        const again = await pixels(null);
        let changed = 0;
        for (let i = 0; i < both.length; i++) if (again[i] !== both[i]) changed++;
        return { asFirst, asSecond, neither, changed, swapThreads: (await client.info()).swapThreads, cores: navigator.hardwareConcurrency };
      },
      { source, otherSource, target, quality },
    );
    expect(out.swapThreads).toBe(out.cores >= 2 ? 2 : 1);
    expect(out.neither).toBe(0);
    expect(out.changed).toBe(0);
    expect(out.asFirst).toBeGreaterThan(50_000);
    expect(out.asSecond).toBeGreaterThan(50_000);
  });
}

test('a picture replaced while the worker is still analysing it gives the new picture\'s faces', async ({ page }) => {
  await openApp(page);
  const couple = faceBase64('couple.jpg');
  const single = faceBase64('img1.jpg');
  const counts = await page.evaluate(
    async ({ couple, single }) => {
      const client = window.faceSwap!.createFaceSwap();
      const blobOf = (base64: string) => new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' });
      // Each picture's analysis starts as it is decoded: the second arrives while the first is under way.
      await client.setImage('target', blobOf(couple));
      await client.setImage('target', blobOf(single));
      const after = (await client.faces('target')).length;
      await client.setImage('target', blobOf(couple));
      return { after, again: (await client.faces('target')).length };
    },
    { couple, single },
  );
  expect(counts).toEqual({ after: 1, again: 2 });
});

/** A PNG that is only a signature and an IHDR chunk declaring the given size (CRC left zero: only the header is read). */
function pngHeader(width: number, height: number): Buffer {
  const chunk = Buffer.alloc(25);
  chunk.writeUInt32BE(13, 0);
  chunk.write('IHDR', 4, 'latin1');
  chunk.writeUInt32BE(width, 8);
  chunk.writeUInt32BE(height, 12);
  chunk.set([8, 6, 0, 0, 0], 16);
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk]);
}
