import DataLoader from 'dataloader';
import type { Logger } from 'pino';
import { describeAsset } from '../../../shared/chain';
import type { Db } from '../../../shared/db';
import { renderPanel, type PanelUpdate } from '../checkout/page';
import { qrSvg } from '../checkout/qr';
import type { CheckoutStrings } from '../checkout/strings/en';
import { checkoutView, type CheckoutView } from '../checkout/view';
import type { CoreConfig } from '../config';
import { findCheckouts, type CheckoutRow } from '../queries/checkout';

/** An invoice as its pages show it now. A new one is made only when what they show changes. */
export interface CheckoutSnapshot {
  view: CheckoutView;
  qr: string | null;
  frameAncestors: string[];
  /** The panel in each language asked for, rendered once however many pages show it. */
  panels: Map<string, PanelUpdate>;
}

type Listener = (snapshot: CheckoutSnapshot) => void;

interface Watch {
  snapshot?: CheckoutSnapshot;
  key?: string;
  fetchedAt: number;
  listeners: Set<Listener>;
  /** A page loaded or polled lately: kept fresh by the shared poll until then. */
  wantedUntil: number;
}

/**
 * The live status of open checkout pages, shared. However many pages (server-sent event streams or
 * polls) are open in this process, on however many invoices, the database sees one query per poll
 * interval, for all of them at once; a page load or poll in the same instant joins the same query
 * (DataLoader's batching). A process with no page open makes no query at all.
 */
export class CheckoutLive {
  private readonly watches = new Map<string, Watch>();
  private readonly loader: DataLoader<string, CheckoutRow | null>;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: { db: Db; config: CoreConfig; log: Logger }) {
    this.loader = new DataLoader(
      async (ids) => {
        const rows = await findCheckouts(deps.db, [...new Set(ids)]);
        const byId = new Map(rows.map((row) => [row.id, row]));
        return ids.map((id) => byId.get(id) ?? null);
      },
      { cache: false, maxBatchSize: 5_000 },
    );
  }

  /** The invoice now (null: there is none): the shared poll's answer when fresh, else fetched. */
  async current(id: string): Promise<CheckoutSnapshot | null> {
    const watch = this.watch(id);
    watch.wantedUntil = Date.now() + 10 * this.deps.config.CHECKOUT_POLL_MS;
    if (watch.snapshot && Date.now() - watch.fetchedAt < this.deps.config.CHECKOUT_POLL_MS) return watch.snapshot;
    await this.apply(id, await this.loader.load(id));
    return this.watches.get(id)?.snapshot ?? null;
  }

  /** Calls `listener` with the snapshot now, then with each new one, until the returned function is called. */
  subscribe(id: string, listener: Listener): () => void {
    const watch = this.watch(id);
    watch.listeners.add(listener);
    if (watch.snapshot) listener(watch.snapshot);
    return () => watch.listeners.delete(listener);
  }

  /** The panel in the page's language, rendered at most once per snapshot and language. */
  static panel(snapshot: CheckoutSnapshot, strings: CheckoutStrings): PanelUpdate {
    let update = snapshot.panels.get(strings.lang);
    if (!update) {
      update = renderPanel(snapshot.view, snapshot.qr, strings);
      snapshot.panels.set(strings.lang, update);
    }
    return update;
  }

  private watch(id: string): Watch {
    let watch = this.watches.get(id);
    if (!watch) {
      watch = { fetchedAt: 0, listeners: new Set(), wantedUntil: 0 };
      this.watches.set(id, watch);
    }
    this.timer ??= setTimeout(() => void this.poll(), this.deps.config.CHECKOUT_POLL_MS).unref();
    return watch;
  }

  private async poll(): Promise<void> {
    const now = Date.now();
    for (const [id, watch] of this.watches)
      if (watch.listeners.size === 0 && watch.wantedUntil <= now) this.watches.delete(id);
    const ids = [...this.watches.keys()];
    try {
      const rows = await this.loader.loadMany(ids);
      for (const [i, id] of ids.entries()) {
        const row = rows[i];
        await this.apply(id, row instanceof Error ? null : (row ?? null));
      }
    } catch (error) {
      this.deps.log.warn({ err: error }, 'checkout poll failed; pages keep what they show');
    }
    this.timer =
      this.watches.size > 0 ? setTimeout(() => void this.poll(), this.deps.config.CHECKOUT_POLL_MS).unref() : undefined;
  }

  private async apply(id: string, row: CheckoutRow | null): Promise<void> {
    const watch = this.watches.get(id);
    if (!watch) return;
    if (!row) {
      if (watch.listeners.size === 0) this.watches.delete(id);
      return;
    }
    watch.fetchedAt = Date.now();
    const view = checkoutView(row, describeAsset(this.deps.config, row.chainId, row.asset), new Date());
    const key = JSON.stringify(view) + row.frameAncestors.join(' ');
    if (key === watch.key) return;
    const qr = view.paymentUri === null ? null : await qrSvg(view.paymentUri);
    if (key === watch.key) return; // a concurrent poll or page load made it meanwhile
    watch.key = key;
    watch.snapshot = { view, qr, frameAncestors: row.frameAncestors, panels: new Map() };
    for (const listener of watch.listeners) listener(watch.snapshot);
  }
}
