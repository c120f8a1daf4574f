import type { Db } from '../../../shared/db';
import { checkoutSettings, updateCheckoutSettingsBody } from '../api/checkout-schemas';
import { defineRoute } from '../api/route';
import { emptyObject } from '../api/schemas';
import { findCheckoutSettings, saveCheckoutSettings } from '../queries/checkout-settings';

/** How the merchant's checkout pages may be embedded. Open pages take a change at their next poll. */
export function checkoutSettingsRoutes(deps: { db: Db }) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/checkout-settings',
      operationId: 'getCheckoutSettings',
      summary: 'Which sites may embed the checkout page',
      scope: 'checkout:read',
      params: emptyObject,
      query: emptyObject,
      response: { status: 200, schema: checkoutSettings, description: 'The settings (the defaults until changed)' },
      handle: async ({ merchantId }) => ({
        status: 200,
        body: (await findCheckoutSettings(deps.db, merchantId)) ?? { frameAncestors: [] },
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/checkout-settings',
      operationId: 'updateCheckoutSettings',
      summary: 'Replace the list of sites that may embed the checkout page',
      scope: 'checkout:write',
      params: emptyObject,
      body: updateCheckoutSettingsBody,
      response: { status: 200, schema: checkoutSettings, description: 'The settings now' },
      handle: async ({ body, merchantId }) => ({
        status: 200,
        body: await saveCheckoutSettings(deps.db, merchantId, [...new Set(body.frameAncestors)]),
      }),
    }),
  ];
}
