import type { Logger } from 'pino';
import type { Db, TransactionWork, WorkOutcome } from '../../../shared/db';
import type { PaymentConfig } from '../config';
import type { ChainReader } from './chain-reader';
import { planRound } from './plan-round';
import { recordRound, type RoundReport } from './record-round';

export interface ScanDeps {
  reader: ChainReader;
  config: PaymentConfig;
  log: Logger;
  db: Db;
  transaction<R>(work: TransactionWork<R>): Promise<WorkOutcome<R>>;
  now?: () => Date;
}

/** Rounds before a scan stops and leaves the rest to the next block or tick. */
const MAX_ROUNDS = 20;

/**
 * Scans the chain from its checkpoint to the head in rounds of at most SCAN_BATCH_BLOCKS: each round
 * reads the chain with nothing held (plan-round.ts), then records what it read in one short
 * transaction under the chain's advisory lock (record-round.ts). Two scans at once never interleave
 * their writes; the one that finds the other has moved on reads again. Every round is idempotent
 * (payments, blocks and events are recorded once), so a scan may be requested any number of times.
 */
export async function scanChain(deps: ScanDeps): Promise<RoundReport[]> {
  const reports: RoundReport[] = [];
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const now = deps.now?.() ?? new Date();
    const plan = await planRound(deps.db, deps.reader, deps.config, now);
    const { result } = await deps.transaction((tx, emit) =>
      recordRound(tx, emit, plan, { config: deps.config, log: deps.log, now }),
    );
    reports.push(result);
    if (result.caughtUp) break;
  }
  return reports;
}
