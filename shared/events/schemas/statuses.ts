import { z } from 'zod';
import {
  InvoiceAdditionalStatus,
  InvoiceStatus,
  NotificationStatus,
  PaymentStatus,
  WebhookMessageStatus,
} from '../../../prisma/generated/enums';

// The statuses are declared once, as PostgreSQL enums in prisma/schema.prisma (the database holds
// them); the events and the merchant API validate with schemas derived from Prisma's generated values.
export const invoiceStatus = z.enum(InvoiceStatus);
export const additionalStatus = z.enum(InvoiceAdditionalStatus);
export const paymentStatus = z.enum(PaymentStatus);
export const webhookMessageStatus = z.enum(WebhookMessageStatus);
export const notificationStatus = z.enum(NotificationStatus);
