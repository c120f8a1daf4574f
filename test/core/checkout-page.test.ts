import type { Browser, BrowserContext, Page } from 'playwright-core';
import { getAddress } from 'viem';
import { payers, payToken } from '../../local/chain/wallet';
import { accessibilityViolations, launchBrowser, readQrCode, screenshotPath } from '../helpers/browser';
import { startPaymentStack, type PaymentStack } from '../helpers/payment-stack';

// The buyer's page in a real browser (Debian's chromium), over the real payment path: an invoice made
// through the API, paid on the local chain in two parts, the page following it without a reload.
let s: PaymentStack;
let browser: Browser;

beforeAll(async () => {
  s = await startPaymentStack({ CHECKOUT_POLL_MS: '200' });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser.close();
  await s.stop();
});

const widths = { phone: { width: 360, height: 780 }, desktop: { width: 1280, height: 900 } };

/** A page at phone width, with what it loaded and every CSP complaint the browser made. */
async function openPage(context: BrowserContext, path: string) {
  const page = await context.newPage();
  const complaints: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') complaints.push(message.text());
  });
  const response = await page.goto(`${s.core.url}${path}`);
  return { page, response, complaints };
}

async function screenshots(page: Page, state: string) {
  for (const [name, size] of Object.entries(widths)) {
    await page.setViewportSize(size);
    await page.screenshot({ path: screenshotPath('checkout', `${state}-${name}`), fullPage: true });
  }
  await page.setViewportSize(widths.phone);
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: screenshotPath('checkout', `${state}-phone-dark`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
}

async function expectAccessible(page: Page) {
  const serious = (await accessibilityViolations(page)).filter(
    (v) => v.impact === 'serious' || v.impact === 'critical',
  );
  expect(serious).toEqual([]);
}

const heading = (page: Page) => page.locator('#status-heading');

describe('the checkout page', () => {
  it('follows an invoice paid in two parts: partial (with a QR for the rest), confirming, settled', async () => {
    const invoice = await s.createInvoice({
      asset: 'TUSD',
      price: { amount: 1000, currency: 'USD' },
      confirmations: 2,
      metadata: { orderId: '<b>order-7</b>', buyerEmail: 'buyer@example.com' },
      checkout: { redirectUrl: 'https://shop.example/thanks?invoice={InvoiceId}&order={OrderId}' },
    });
    const context = await browser.newContext({ viewport: widths.phone, locale: 'en-US' });
    const { page, response, complaints } = await openPage(context, `/checkout/${invoice.id}`);
    expect(response?.status()).toBe(200);
    await page.evaluate(() => {
      (window as unknown as { loadedOnce: boolean }).loadedOnce = true;
    });

    await expect(heading(page).textContent()).resolves.toBe('Waiting for your payment');
    await expect(page.locator('.amount').textContent()).resolves.toBe('10 TUSD');
    await expect(page.locator('.facts').textContent()).resolves.toContain('10 USD');
    // The order id is the merchant's text: shown as text, never as markup.
    await expect(page.locator('.facts').textContent()).resolves.toContain('<b>order-7</b>');
    const full = `ethereum:${getAddress(s.token)}@31337/transfer?address=${getAddress(invoice.depositAddress)}&uint256=10000000`;
    await expect(page.locator('[data-payment-uri]').getAttribute('href')).resolves.toBe(full);
    expect(await readQrCode(page, '.qr')).toBe(full);
    await expect(page.locator('#address').inputValue()).resolves.toBe(invoice.depositAddress);
    await expect(page.locator('[data-countdown]').textContent()).resolves.toMatch(/^Expires in \d+:\d\d$/);
    await screenshots(page, 'waiting');
    await expectAccessible(page);

    await payToken(s.chain, s.token, payers.alice, invoice.depositAddress, 4_000_000n);
    await s.deliverBlock();
    await page.waitForSelector('[data-state="partial"]');
    await expect(heading(page).textContent()).resolves.toBe('Part of your payment has arrived');
    await expect(page.locator('#panel').textContent()).resolves.toContain('Send the remaining 6 TUSD');
    const rest = full.replace('uint256=10000000', 'uint256=6000000');
    await expect(page.locator('[data-payment-uri]').getAttribute('href')).resolves.toBe(rest);
    expect(await readQrCode(page, '.qr')).toBe(rest);
    await expect(page.locator('#announce').textContent()).resolves.toBe('Part of your payment has arrived');
    await screenshots(page, 'partial');
    await expectAccessible(page);

    await payToken(s.chain, s.token, payers.bob, invoice.depositAddress, 6_000_000n);
    await s.deliverBlock();
    await page.waitForSelector('[data-state="confirming"]');
    await expect(page.locator('#panel').textContent()).resolves.toContain('1 of 2 confirmations');
    await expect(page.locator('.qr').count()).resolves.toBe(0);
    await screenshots(page, 'confirming');
    await expectAccessible(page);

    await s.chain.mine({ blocks: 1 });
    await s.deliverBlock();
    await page.waitForSelector('[data-state="settled"]');
    await expect(heading(page).textContent()).resolves.toBe('Paid. Thank you!');
    await expect(page.getByRole('link', { name: /^Return to / }).getAttribute('href')).resolves.toBe(
      `https://shop.example/thanks?invoice=${invoice.id}&order=%3Cb%3Eorder-7%3C%2Fb%3E`,
    );
    await screenshots(page, 'settled');
    await expectAccessible(page);

    // The same document all along, and the browser never refused anything under the page's CSP.
    await expect(page.evaluate(() => (window as unknown as { loadedOnce?: boolean }).loadedOnce)).resolves.toBe(true);
    expect(complaints).toEqual([]);
    await context.close();
  }, 90_000);

  it('shows an invoice expiring while open as expired, and one opened after as expired', async () => {
    const invoice = await s.createInvoice({ asset: 'TUSD', amount: '5000000' });
    const context = await browser.newContext({ viewport: widths.phone });
    const { page } = await openPage(context, `/checkout/${invoice.id}`);
    await page.waitForSelector('[data-state="waiting"]');
    await s.admin.$executeRaw`UPDATE invoices SET expires_at = now() WHERE id = ${invoice.id}::uuid`;
    await page.waitForSelector('[data-state="expired"]');
    await expect(heading(page).textContent()).resolves.toBe('This invoice has expired');
    await expect(page.locator('[data-payment-uri]').count()).resolves.toBe(0);
    await screenshots(page, 'expired');
    await expectAccessible(page);

    const again = await openPage(context, `/checkout/${invoice.id}`);
    await expect(heading(again.page).textContent()).resolves.toBe('This invoice has expired');
    await context.close();
  }, 60_000);

  it('tells the buyer of a payment after expiry and of one that failed to confirm', async () => {
    const context = await browser.newContext({ viewport: widths.phone });
    for (const [state, status, additional, words] of [
      ['paid-late', 'Expired', 'PaidLate', 'Your payment arrived after the invoice expired'],
      ['invalid', 'Invalid', 'None', 'The payment could not be confirmed'],
    ] as const) {
      const invoice = await s.createInvoice({ asset: 'TUSD', amount: '1000000' });
      const { page } = await openPage(context, `/checkout/${invoice.id}`);
      // As the payment function records them (the chain cannot be made to fail to confirm on demand).
      await s.admin.$executeRaw`UPDATE invoices SET status = ${status}::invoice_status,
        additional_status = ${additional}::invoice_additional_status, amount_paid = amount
        WHERE id = ${invoice.id}::uuid`;
      await page.waitForSelector(`[data-state="${state}"]`);
      await expect(heading(page).textContent()).resolves.toBe(words);
      await expect(page.locator('[data-payment-uri]').count()).resolves.toBe(0);
      await screenshots(page, state);
      await expectAccessible(page);
    }
    await context.close();
  }, 60_000);

  it('falls back to polling in a browser without EventSource', async () => {
    const invoice = await s.createInvoice({ asset: 'TUSD', amount: '3000000' });
    const context = await browser.newContext({ viewport: widths.phone });
    await context.addInitScript(() => {
      Reflect.deleteProperty(window, 'EventSource');
    });
    const { page, complaints } = await openPage(context, `/checkout/${invoice.id}`);
    await expect(page.evaluate(() => typeof window.EventSource)).resolves.toBe('undefined');
    await payToken(s.chain, s.token, payers.alice, invoice.depositAddress, 1_000_000n);
    await s.deliverBlock();
    await page.waitForSelector('[data-state="partial"]', { timeout: 10_000 });
    await expect(page.locator('#panel').textContent()).resolves.toContain('Send the remaining 2 TUSD');
    expect(complaints).toEqual([]);
    await context.close();
  }, 30_000);

  it('answers an unknown or malformed id with the 404 page', async () => {
    const context = await browser.newContext({ viewport: widths.phone });
    for (const id of ['00000000-0000-4000-8000-000000000000', 'not-an-id']) {
      const { page, response } = await openPage(context, `/checkout/${id}`);
      expect(response?.status()).toBe(404);
      await expect(page.locator('h1').textContent()).resolves.toBe('Invoice not found');
      if (id === 'not-an-id') {
        await screenshots(page, 'not-found');
        await expectAccessible(page);
      }
    }
    await context.close();
  }, 30_000);

  it('shows the facts without JavaScript, in Spanish when the browser asks for it', async () => {
    const invoice = await s.createInvoice({ asset: 'TUSD', amount: '2500000' });
    const context = await browser.newContext({ viewport: widths.phone, javaScriptEnabled: false, locale: 'es-ES' });
    const { page } = await openPage(context, `/checkout/${invoice.id}`);
    await expect(heading(page).textContent()).resolves.toBe('Esperando tu pago');
    await expect(page.locator('.amount').textContent()).resolves.toBe('2.5 TUSD');
    await expect(page.locator('[data-countdown]').textContent()).resolves.toMatch(
      /^Caduca a las \d{4}-\d\d-\d\d \d\d:\d\d/,
    );
    expect(await readQrCode(page, '.qr')).toContain('uint256=2500000');
    await screenshots(page, 'no-script-es');
    await context.close();
  }, 30_000);

  it('loads in one request under 50 KB, inside the 320 px a small phone has', async () => {
    const invoice = await s.createInvoice({ asset: 'TUSD', price: { amount: 1999, currency: 'USD' } });
    const context = await browser.newContext({ viewport: { width: 320, height: 640 } });
    const page = await context.newPage();
    const sizes: Promise<number>[] = [];
    page.on('requestfinished', (request) => {
      sizes.push(request.sizes().then((size) => size.responseHeadersSize + size.responseBodySize));
    });
    await page.goto(`${s.core.url}/checkout/${invoice.id}`, { waitUntil: 'load' });
    const bytes = (await Promise.all(sizes)).reduce((a, b) => a + b, 0);
    expect(sizes.length).toBe(1);
    expect(bytes).toBeLessThan(50 * 1024);
    // Nothing wider than the screen: no sideways scrolling on a 320 px phone.
    await expect(page.evaluate(() => document.documentElement.scrollWidth)).resolves.toBeLessThanOrEqual(320);
    await screenshots(page, 'priced-in-fiat');
    await context.close();
  }, 30_000);
});
