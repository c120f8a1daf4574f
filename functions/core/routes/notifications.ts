import { defineRoute } from '../api/route';
import { listNotificationsQuery, notificationList, updateSettingsBody } from '../api/notification-schemas';
import { emptyObject } from '../api/schemas';
import { notificationSettings } from '../../../shared/notifications/settings';
import type { Db } from '../../../shared/db';
import { getSettings, notificationsPage, updateSettings } from '../services/notifications';

/** E-mail settings (stored here, read by the notification function) and the feed of notices sent. */
export function notificationRoutes(deps: { db: Db }) {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/notification-settings',
      operationId: 'getNotificationSettings',
      summary: 'Where notices go, which are sent, whether buyers get receipts, the sender name',
      scope: 'notifications:read',
      params: emptyObject,
      query: emptyObject,
      response: { status: 200, schema: notificationSettings, description: 'The settings (the defaults until changed)' },
      handle: async ({ merchantId }) => ({ status: 200, body: await getSettings(deps.db, merchantId) }),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/notification-settings',
      operationId: 'updateNotificationSettings',
      summary: 'Change any of the settings; the others stay as they are',
      scope: 'notifications:write',
      params: emptyObject,
      body: updateSettingsBody,
      response: { status: 200, schema: notificationSettings, description: 'The settings now' },
      handle: async ({ body, merchantId }) => ({ status: 200, body: await updateSettings(deps.db, merchantId, body) }),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/notifications',
      operationId: 'listNotifications',
      summary: "The merchant's notices, newest first: what an in-app list or a mobile app shows",
      scope: 'notifications:read',
      params: emptyObject,
      query: listNotificationsQuery,
      response: { status: 200, schema: notificationList, description: 'A page of notices' },
      handle: async ({ query, merchantId }) => ({
        status: 200,
        body: await notificationsPage(deps.db, merchantId, query),
      }),
    }),
  ];
}
