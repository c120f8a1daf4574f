import { randomUUID } from 'node:crypto';
import express from 'express';
import { Prisma } from '../prisma/generated/client';
import { closeDb, createDb } from '../shared/db';
import { createLogger } from '../shared/logging/logger';

/**
 * The floor for bench/invoices.ts: a bare express route that inserts one invoice row through Prisma
 * (the same client factory and pool size as the function) and answers 201 with it. No auth, no
 * validation, no address derivation, no idempotency, no outbox: what the merchant API adds to this
 * is what the benchmark measures.
 */
const log = createLogger({ level: 'warn' });
const db = createDb({
  url: process.env['DATABASE_URL'] ?? '',
  poolSize: Number(process.env['DB_POOL_SIZE'] ?? '5'),
  connectTimeoutMs: 5_000,
  log,
});
const merchantId = process.env['MERCHANT_ID'] ?? '';

const app = express();
app.use(express.json());
app.post('/v1/invoices', async (req, res) => {
  const body = req.body as { amount: string };
  const id = randomUUID();
  const invoice = await db.invoice.create({
    data: {
      id,
      merchantId,
      chainId: 31337,
      asset: 'native',
      amount: new Prisma.Decimal(body.amount),
      depositAddress: `floor-${id}`,
      confirmationsRequired: 2,
      expiresAt: new Date(Date.now() + 900_000),
      monitoringUntil: new Date(Date.now() + 87_300_000),
    },
  });
  res.status(201).json({ id: invoice.id, amount: invoice.amount.toString() });
});
const server = app.listen(Number(process.env['PORT'] ?? '0'), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(
    `${JSON.stringify({ msg: 'function started', port: typeof address === 'object' && address ? address.port : 0 })}\n`,
  );
});
process.on('SIGTERM', () => {
  server.close(() => {
    void closeDb(db).then(() => process.exit(0));
  });
});
