import { describeAsset, type ChainConfig } from '../../../shared/chain';
import type { Db } from '../../../shared/db';
import { defineRoute } from '../api/route';
import { balanceList, emptyObject } from '../api/schemas';
import { merchantBalances } from '../queries/ledger';

export function balanceRoutes(deps: { db: Db; config: ChainConfig }) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/balances',
      operationId: 'listBalances',
      summary: "The merchant's settled balance per asset, summed from the ledger",
      scope: 'balances:read',
      query: emptyObject,
      response: { status: 200, schema: balanceList, description: 'Balances in base units' },
      handle: async ({ merchantId }) => {
        const balances = await merchantBalances(deps.db, merchantId);
        const data = balances.map((b) => {
          const { symbol, decimals } = describeAsset(deps.config, b.chainId, b.asset);
          return {
            chainId: b.chainId,
            asset: symbol,
            assetAddress: b.asset,
            decimals,
            available: b.available.toString(),
          };
        });
        return { status: 200, body: { data } };
      },
    }),
  ];
}
