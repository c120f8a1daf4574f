import { z } from 'zod';
import { ProblemError } from '../../../shared/errors';
import type { CoreConfig } from '../config';

/** The price of one whole unit of `base` in `quote`, as a decimal string (never a float). */
export type RateSource = (base: string, quote: string) => Promise<string>;

const decimal = z.string().regex(/^\d+(\.\d+)?$/);

export function createRateSource(config: CoreConfig): RateSource {
  return config.RATE_SOURCE === 'fixed'
    ? fixedRates(config.RATES_FIXED)
    : httpRates(config.RATE_FEED_URL, config.RATE_FEED_TIMEOUT_MS);
}

function fixedRates(table: string): RateSource {
  const rates = new Map(
    table.split(',').map((entry) => {
      const [pair = '', rate = ''] = entry.split('=');
      return [pair.toUpperCase(), rate] as const;
    }),
  );
  return (base, quote) => {
    const rate = rates.get(`${base}/${quote}`.toUpperCase());
    if (rate === undefined) return Promise.reject(new ProblemError('unknown-rate', `No rate for ${base}/${quote}`));
    return Promise.resolve(rate);
  };
}

/** Coinbase's spot-price shape, `{"data":{"amount":"3012.55",...}}`, which other feeds can mimic. */
const feedAnswer = z.object({ data: z.object({ amount: decimal }) });

function httpRates(template: string, timeoutMs: number): RateSource {
  return async (base, quote) => {
    const url = template.replace('{base}', encodeURIComponent(base)).replace('{quote}', encodeURIComponent(quote));
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    } catch {
      throw new ProblemError('rate-unavailable', `The rate feed did not answer for ${base}/${quote}`);
    }
    if (response.status === 404)
      throw new ProblemError('unknown-rate', `The rate feed knows no rate for ${base}/${quote}`);
    const parsed = feedAnswer.safeParse(response.ok ? await response.json().catch(() => null) : null);
    if (!parsed.success)
      throw new ProblemError('rate-unavailable', `The rate feed gave no usable rate for ${base}/${quote}`);
    return parsed.data.data.amount;
  };
}
