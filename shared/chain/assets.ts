import type { ChainConfig } from './config';

export interface Asset {
  symbol: string;
  /** "native" for the chain's coin, else the ERC-20 contract address (lower-case). */
  asset: string;
  decimals: number;
}

/** The assets an invoice may ask for on the configured chain: the native coin first, then the tokens. */
export function assetsOf(config: ChainConfig): Asset[] {
  return [
    { symbol: config.CHAIN_NATIVE_SYMBOL.toUpperCase(), asset: 'native', decimals: 18 },
    ...(config.CHAIN_TOKENS ?? []).map((token) => ({
      symbol: token.symbol,
      asset: token.address,
      decimals: token.decimals,
    })),
  ];
}

/** How to show an asset stored on a row: its symbol and decimals when configured, else its address. */
export function describeAsset(
  config: ChainConfig,
  chainId: number,
  asset: string,
): { symbol: string; decimals: number } {
  const known = chainId === config.CHAIN_ID ? assetsOf(config).find((a) => a.asset === asset) : undefined;
  return { symbol: known?.symbol ?? asset, decimals: known?.decimals ?? 18 };
}

/** Finds an asset by its symbol (any case), by "native", or by its contract address. */
export function findAsset(config: ChainConfig, name: string): Asset | undefined {
  const wanted = name.toLowerCase();
  return assetsOf(config).find((a) => a.symbol.toLowerCase() === wanted || a.asset === wanted);
}
