import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import { fillString } from '../../../shared/text/fill-string';
import { script, style } from './assets';
import type { CheckoutStrings } from './strings/en';
import type { CheckoutView } from './view';

/**
 * The page as Handlebars templates: every `{{ }}` value is escaped (the merchant's name and order id
 * are text someone typed); `{{{ }}}` is used only for what this module made (the QR code's SVG, the
 * inline assets, the panel). The panel is the part that changes: the page holds it, and each live
 * update sends it again (with the heading, for screen readers: #announce).
 */
const panel = Handlebars.compile(
  `<h2 id="status-heading" data-state="{{view.state}}">{{heading}}</h2>
<p>{{text}}</p>
{{#if view.paymentUri}}<div role="img" aria-label="{{s.qr}}" class="qr">{{{qr}}}</div>
<p class="wallet"><a class="button" href="{{view.paymentUri}}" data-payment-uri>{{s.openWallet}}</a></p>
<label for="address">{{s.address}}</label>
<div class="copy"><input id="address" class="mono" readonly value="{{view.depositAddress}}">
<button type="button" class="button" data-copy="{{view.depositAddress}}" data-copied="{{s.copied}}">{{s.copy}}</button></div>
<p class="muted"><time datetime="{{view.expiresAt}}" data-countdown data-label="{{s.expiresIn}}">{{expiresAt}}</time></p>
{{/if}}{{#if view.confirmations}}<progress max="{{view.confirmations.required}}" value="{{view.confirmations.count}}" aria-labelledby="status-heading"></progress>
{{/if}}{{#if note}}<p>{{note}}</p>
{{/if}}{{#if view.returnUrl}}<p><a class="button" href="{{view.returnUrl}}">{{returnText}}</a></p>
{{/if}}`,
  { knownHelpersOnly: true },
);

const page = Handlebars.compile(
  `<!doctype html>
<html lang="{{s.lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="robots" content="noindex">
<title>{{title}}</title>
<style>{{{css}}}</style>
</head>
<body>
<main{{#if view}} data-live data-events="/checkout/{{view.invoiceId}}/events" data-status="/checkout/{{view.invoiceId}}/status"{{/if}}>
{{#if view}}<p class="muted">{{s.payTo}}</p>
<h1>{{view.merchantName}}</h1>
<dl class="facts">
<div><dt>{{s.amount}}</dt><dd class="amount">{{view.amount}}</dd></div>
{{#if view.price}}<div><dt>{{s.price}}</dt><dd>{{view.price}}</dd></div>
{{/if}}{{#if view.orderId}}<div><dt>{{s.order}}</dt><dd>{{view.orderId}}</dd></div>
{{/if}}<div><dt>{{s.invoice}}</dt><dd class="mono">{{view.invoiceId}}</dd></div>
</dl>
<section id="panel" aria-labelledby="status-heading" data-version="{{version}}">{{{panel}}}</section>
<p id="announce" class="visually-hidden" role="status" aria-live="polite"></p>
<noscript><p class="muted">{{s.noScript}}</p></noscript>
{{else}}<h1>{{s.notFoundTitle}}</h1>
<p>{{s.notFoundText}}</p>
{{/if}}</main>
{{#if view}}<script>{{{js}}}</script>{{/if}}
</body>
</html>
`,
  { knownHelpersOnly: true },
);

// Strings are templates over the view too, filled unescaped: the page escapes what they produce.
const fill = (template: string, view: CheckoutView) => fillString(template, view);

/** What a live update carries: the panel, its heading (announced) and its state. */
export interface PanelUpdate {
  state: CheckoutView['state'];
  heading: string;
  html: string;
  /** A digest of the panel: the page holds the one it shows (#panel's data-version). */
  version: string;
}

export function renderPanel(view: CheckoutView, qr: string | null, s: CheckoutStrings): PanelUpdate {
  const words = s.states[view.state];
  const heading = fill(words.heading, view);
  const html = panel({
    view,
    s,
    qr,
    heading,
    text: fill(words.text, view),
    note: view.state === 'expired' && view.partlyPaid ? fill(s.partialNote, view) : null,
    expiresAt: fill(s.expiresAt, { ...view, expiresAt: view.expiresAt.slice(0, 16).replace('T', ' ') }),
    returnText: fill(s.returnToMerchant, view),
  });
  // What the page compares, so an update that changes nothing leaves the panel (and focus) alone.
  const version = createHash('sha256').update(html).digest('base64url').slice(0, 16);
  return { state: view.state, heading, html, version };
}

export function renderPage(view: CheckoutView, update: PanelUpdate, s: CheckoutStrings): string {
  return page({
    view,
    s,
    title: fill(s.title, view),
    panel: update.html,
    version: update.version,
    css: style.text,
    js: script.text,
  });
}

export function renderNotFound(s: CheckoutStrings): string {
  return page({ view: null, s, title: s.notFoundTitle, css: style.text });
}
