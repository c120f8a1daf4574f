import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { ProblemError } from '../../../shared/errors';
import { setPageHeaders } from '../checkout/headers';
import { renderNotFound, renderPage } from '../checkout/page';
import { languages, stringsFor } from '../checkout/strings';
import type { CoreConfig } from '../config';
import { CheckoutLive, type CheckoutSnapshot } from '../services/checkout-live';

const invoiceId = z.uuid();

/**
 * The buyer's page for an invoice, public (no API key: the invoice's id is the link), and its live
 * status: server-sent events, or a JSON poll where a browser cannot keep a stream.
 */
export function checkoutRoutes(deps: { live: CheckoutLive; config: CoreConfig }): Router {
  const router = Router();
  const { live } = deps;

  router.get('/checkout/:id', async (req, res) => {
    const strings = stringsFor(req.acceptsLanguages(languages));
    const snapshot = await find(live, req);
    if (!snapshot) {
      setPageHeaders(res, []);
      res.status(404).type('html').send(renderNotFound(strings));
      return;
    }
    setPageHeaders(res, snapshot.frameAncestors);
    res.vary('Accept-Language');
    res.type('html').send(renderPage(snapshot.view, CheckoutLive.panel(snapshot, strings), strings));
  });

  router.get('/checkout/:id/status', async (req, res) => {
    const snapshot = await found(live, req);
    res.set('Cache-Control', 'no-store').vary('Accept-Language');
    res.json(CheckoutLive.panel(snapshot, stringsFor(req.acceptsLanguages(languages))));
  });

  router.get('/checkout/:id/events', async (req, res) => {
    const snapshot = await found(live, req);
    stream(req, res, live, snapshot, deps.config.CHECKOUT_STREAM_SECONDS);
  });

  // Anything else under /checkout is a page that does not exist, shown as one.
  router.use('/checkout', (req, res) => {
    setPageHeaders(res, []);
    res
      .status(404)
      .type('html')
      .send(renderNotFound(stringsFor(req.acceptsLanguages(languages))));
  });
  return router;
}

/** A malformed id is an unknown one: no query is made for it. */
async function find(live: CheckoutLive, req: Request): Promise<CheckoutSnapshot | null> {
  const id = invoiceId.safeParse(req.params['id']);
  return id.success ? live.current(id.data.toLowerCase()) : null;
}

async function found(live: CheckoutLive, req: Request): Promise<CheckoutSnapshot> {
  const snapshot = await find(live, req);
  if (!snapshot) throw new ProblemError('not-found', 'No such invoice');
  return snapshot;
}

/**
 * A server-sent event stream of the panel: now, then at each change. A comment every 20 s keeps
 * proxies from closing an idle stream; the stream ends after `seconds` and the browser reconnects
 * (`retry`), so no platform timeout cuts it mid-update.
 */
function stream(req: Request, res: Response, live: CheckoutLive, first: CheckoutSnapshot, seconds: number): void {
  const strings = stringsFor(req.acceptsLanguages(languages));
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-store',
    'X-Accel-Buffering': 'no',
    Vary: 'Accept-Language',
  });
  const send = (snapshot: CheckoutSnapshot) =>
    res.write(`event: status\ndata: ${JSON.stringify(CheckoutLive.panel(snapshot, strings))}\n\n`);
  res.write('retry: 3000\n\n');
  const unsubscribe = live.subscribe(first.view.invoiceId, send);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 20_000);
  const end = setTimeout(() => res.end(), seconds * 1000);
  res.on('close', () => {
    unsubscribe();
    clearInterval(heartbeat);
    clearTimeout(end);
  });
}
