import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/**
 * Debian's chromium, headless, driven by playwright-core (`make tools` installs it where missing).
 * The flags keep it off the network this machine does not have (updates, sync, Google's hosts).
 */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Where screenshots for people to review go (test-output/ is not committed). */
export function screenshotPath(folder: string, name: string): string {
  const dir = join(__dirname, '..', '..', 'test-output', folder);
  mkdirSync(dir, { recursive: true });
  return join(dir, `${name}.png`);
}

/** What a QR code on the page says, read from a screenshot of it as a phone camera would. */
export async function readQrCode(page: Page, selector: string): Promise<string | null> {
  const png = PNG.sync.read(await page.locator(selector).screenshot());
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

/** axe-core run in the page (through the DevTools protocol, so the page's CSP needs no exception). */
export async function accessibilityViolations(page: Page): Promise<{ id: string; impact: string | null }[]> {
  const { source } = (await import('axe-core')) as { source: string };
  await page.evaluate(source);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string }[] }> } })
      .axe;
    const result = await axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact }));
  });
}
