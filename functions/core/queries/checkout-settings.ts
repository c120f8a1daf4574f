import type { Db } from '../../../shared/db';

/** The merchant's stored checkout settings (null: none stored, the defaults apply). */
export function findCheckoutSettings(db: Db, merchantId: string) {
  return db.checkoutSettings.findUnique({ where: { merchantId }, select: { frameAncestors: true } });
}

export function saveCheckoutSettings(db: Db, merchantId: string, frameAncestors: string[]) {
  return db.checkoutSettings.upsert({
    where: { merchantId },
    create: { merchantId, frameAncestors },
    update: { frameAncestors },
    select: { frameAncestors: true },
  });
}
