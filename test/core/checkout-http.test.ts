import { createHash } from 'node:crypto';
import { startCoreStack, type CoreStack } from '../helpers/core-stack';
import { newMerchant } from '../helpers/merchant';

// The checkout page over plain HTTP: its headers, what it shows and hides, its event stream and how
// little database work open pages cause. The browser tests (checkout-page.test.ts) drive it for real.
let s: CoreStack;
beforeAll(async () => {
  s = await startCoreStack({
    CHECKOUT_POLL_MS: '100',
    CHECKOUT_STREAM_SECONDS: '5',
    CHECKOUT_BASE_URL: 'https://pay.example.test/',
  });
}, 60_000);
afterAll(async () => {
  await s.stop();
});

async function newInvoice(body: Record<string, unknown> = {}): Promise<{ id: string; checkoutUrl: string }> {
  const res = await s.call('POST', '/v1/invoices', { asset: 'USDT', amount: '1500000', ...body });
  expect(res.status).toBe(201);
  return res.body as { id: string; checkoutUrl: string };
}

const page = (id: string, headers: Record<string, string> = {}) => fetch(`${s.core.url}/checkout/${id}`, { headers });

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** Reads server-sent events until `until` says enough, or the time is up. */
async function readEvents(url: string, until: (events: string[]) => boolean, ms = 5_000): Promise<string[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => {
    controller.abort();
  }, ms);
  const events: string[] = [];
  try {
    const res = await fetch(url, { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      events.push(...blocks.filter((b) => b.startsWith('event: status')).map((b) => b.split('data: ')[1] ?? ''));
      if (until(events)) break;
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return events;
}

describe('the checkout page over HTTP', () => {
  it('is linked from the invoice resource as checkoutUrl', async () => {
    const invoice = await newInvoice();
    expect(invoice.checkoutUrl).toBe(`https://pay.example.test/checkout/${invoice.id}`);
    const fetched = await s.call('GET', `/v1/invoices/${invoice.id}`);
    expect(fetched.body).toMatchObject({ checkoutUrl: invoice.checkoutUrl, redirectUrl: null });
  });

  it('sends a strict CSP whose hashes are exactly its inline script and style, and no referrer', async () => {
    const res = await page((await newInvoice()).id);
    const html = await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)?.[1] ?? '';
    expect(csp.split('; ')).toEqual([
      "default-src 'none'",
      `script-src ${sha256(script)}`,
      `style-src ${sha256(style)}`,
      'img-src data:',
      "connect-src 'self'",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ]);
    expect(html.match(/<script/g)).toHaveLength(1);
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('lets the sites the merchant names embed its pages, and refuses a list that would let any site', async () => {
    const invoice = await newInvoice();
    for (const bad of ['*', 'https://shop.example/path', 'http://shop.example', 'javascript:alert(1)', "'self'"]) {
      const res = await s.call('PATCH', '/v1/checkout-settings', { frameAncestors: [bad] });
      expect(res.status).toBe(422);
    }
    const origins = ['https://shop.example', 'https://*.shop.example:8443'];
    expect((await s.call('PATCH', '/v1/checkout-settings', { frameAncestors: origins })).body).toEqual({
      frameAncestors: origins,
    });
    expect((await s.call('GET', '/v1/checkout-settings')).body).toEqual({ frameAncestors: origins });
    // Open pages take the change at the next poll.
    let csp = '';
    for (let i = 0; i < 30 && !csp.includes('shop.example'); i++) {
      if (i > 0) await new Promise((done) => setTimeout(done, 100));
      csp = (await page(invoice.id)).headers.get('content-security-policy') ?? '';
    }
    expect(csp).toContain('frame-ancestors https://shop.example https://*.shop.example:8443');
    await s.call('PATCH', '/v1/checkout-settings', { frameAncestors: [] });
  });

  it("shows nothing of the merchant's but its name, nor the invoice's metadata beyond the order id", async () => {
    const invoice = await newInvoice({ metadata: { orderId: 'A-1', buyerEmail: 'buyer@example.com', note: 'n' } });
    const html = await (await page(invoice.id)).text();
    expect(html).toContain('Test shop');
    expect(html).toContain('A-1');
    for (const secret of [s.merchant.merchantId, s.merchant.apiKey.slice(0, 12), 'buyer@example.com', '"note"'])
      expect(html).not.toContain(secret);
    const other = await newInvoice();
    expect(html).not.toContain(other.id);
  });

  it('answers unknown invoices with a 404 page, and its status and events with a 404 problem', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    for (const path of [`/checkout/${unknown}`, '/checkout/nope', '/checkout/', `/checkout/${unknown}/other`]) {
      const res = await fetch(`${s.core.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(await res.text()).toContain('Invoice not found');
    }
    for (const path of [`/checkout/${unknown}/status`, `/checkout/${unknown}/events`]) {
      const res = await fetch(`${s.core.url}${path}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
  });

  it('streams the panel now and again when the invoice changes; the poll answers the same', async () => {
    const invoice = await newInvoice();
    const status: unknown = await (await fetch(`${s.core.url}/checkout/${invoice.id}/status`)).json();
    expect(status).toMatchObject({ state: 'waiting', heading: 'Waiting for your payment' });
    const streamed = readEvents(`${s.core.url}/checkout/${invoice.id}/events`, (events) => events.length >= 2);
    await new Promise((done) => setTimeout(done, 300));
    await s.admin.$executeRaw`UPDATE invoices SET amount_paid = 500000 WHERE id = ${invoice.id}::uuid`;
    const events = (await streamed).map((data) => JSON.parse(data) as { state: string; html: string });
    expect(events.map((e) => e.state)).toEqual(['waiting', 'partial']);
    expect(events[1]?.html).toContain('Send the remaining 1 USDT');
  });

  it('ends a stream after CHECKOUT_STREAM_SECONDS, telling the browser to reconnect in 3 s', async () => {
    const invoice = await newInvoice();
    const started = Date.now();
    const res = await fetch(`${s.core.url}/checkout/${invoice.id}/events`);
    const body = await res.text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
    expect(Date.now() - started).toBeLessThan(8_000);
    expect(body.startsWith('retry: 3000\n\nevent: status\n')).toBe(true);
  }, 15_000);

  it('costs the database one query per poll for all open streams, however many', async () => {
    const invoices = [await newInvoice(), await newInvoice()];
    const commits = async () =>
      Number(
        (
          await s.db.query<{ n: string }>(
            'SELECT xact_commit AS n FROM pg_stat_database WHERE datname = current_database()',
          )
        )[0]?.n,
      );
    const streams = Array.from({ length: 60 }, (_, i) =>
      readEvents(`${s.core.url}/checkout/${invoices[i % 2]?.id ?? ''}/events`, () => false, 4_000),
    );
    await new Promise((done) => setTimeout(done, 500));
    const before = await commits();
    await new Promise((done) => setTimeout(done, 3_000));
    const queries = (await commits()) - before;
    await Promise.all(streams);
    // 3 s at one poll per 100 ms: ~30, not 60 streams × 30. PostgreSQL publishes a connection's counts
    // about once a second, hence the margin.
    expect(queries).toBeGreaterThanOrEqual(10);
    expect(queries).toBeLessThan(60);
  });

  it('speaks Spanish when asked and English otherwise', async () => {
    const invoice = await newInvoice();
    expect(await (await page(invoice.id, { 'accept-language': 'es-MX,es;q=0.9' })).text()).toContain(
      'Esperando tu pago',
    );
    expect(await (await page(invoice.id, { 'accept-language': 'fr-FR' })).text()).toContain('Waiting for your payment');
  });

  it('needs no API key, and the settings need theirs with the checkout scopes', async () => {
    const reader = await newMerchant(s.admin, ['invoices:read']);
    const res = await fetch(`${s.core.url}/v1/checkout-settings`, {
      headers: { authorization: `Bearer ${reader.apiKey}` },
    });
    expect(res.status).toBe(403);
    expect((await fetch(`${s.core.url}/checkout/${(await newInvoice()).id}`)).status).toBe(200);
  });
});
