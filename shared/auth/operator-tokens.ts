import { z } from 'zod';
import { OperatorRole as Roles } from '../../prisma/generated/enums';
import { newBearerSecret, type BearerSecret } from './bearer-secrets';

/** The operator roles, declared once in prisma/schema.prisma, each allowing what the ones before it do. */
export const operatorRoleSchema = z.enum(Roles);
export const operatorRoles = operatorRoleSchema.options;
export type OperatorRole = z.output<typeof operatorRoleSchema>;

/** Whether a token of role `held` may do what `needed` allows. */
export const roleAllows = (held: OperatorRole, needed: OperatorRole): boolean =>
  operatorRoles.indexOf(held) >= operatorRoles.indexOf(needed);

/** knpop_ + 43 base64url characters (32 random bytes). */
export const operatorTokenPattern = /^knpop_[A-Za-z0-9_-]{43}$/;

export function generateOperatorToken(): BearerSecret {
  return newBearerSecret('knpop_');
}
