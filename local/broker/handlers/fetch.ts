import { errorCodes } from '../protocol/errors';
import type { BrokerState } from '../state';
import type { Handler } from './types';

interface FetchRequest {
  max_wait_ms: number;
  min_bytes: number;
  max_bytes: number;
  topics: { topic: string; partitions: { partition: number; fetch_offset: bigint; partition_max_bytes: number }[] }[];
}

/**
 * Long-polls: answers at once when min_bytes are there (or an error is), else waits for an append or
 * for max_wait_ms, whichever comes first. A fetch before the log start or past its end gets OFFSET_OUT_OF_RANGE.
 */
export const handleFetch: Handler = async (raw, { state }) => {
  const request = raw as unknown as FetchRequest;
  let answer = collect(state, request);
  if (answer.bytes < request.min_bytes && !answer.error && request.max_wait_ms > 0) {
    // Each append re-collects; nothing can append between the collect above and the wait starting
    // (no await in between), so on a timeout the last answer is still current.
    await waitForAppend(state, request.max_wait_ms, () => {
      answer = collect(state, request);
      return answer.bytes >= request.min_bytes;
    });
  }
  return { error_code: errorCodes.NONE, session_id: 0, responses: answer.responses };
};

function collect(state: BrokerState, request: FetchRequest) {
  let bytes = 0;
  let error = false;
  let budget = request.max_bytes > 0 ? request.max_bytes : 0x7fffffff;
  const responses = request.topics.map((topic) => ({
    topic: topic.topic,
    partitions: topic.partitions.map((p) => {
      const log = state.topics.partition(topic.topic, p.partition);
      const base = { partition_index: p.partition, aborted_transactions: null, records: null as Buffer | null };
      if (!log) {
        error = true;
        return {
          ...base,
          error_code: errorCodes.UNKNOWN_TOPIC_OR_PARTITION,
          high_watermark: -1n,
          last_stable_offset: -1n,
          log_start_offset: -1n,
        };
      }
      const marks = {
        high_watermark: log.highWatermark,
        last_stable_offset: log.highWatermark,
        log_start_offset: log.logStartOffset,
      };
      if (p.fetch_offset < log.logStartOffset || p.fetch_offset > log.highWatermark) {
        error = true;
        return { ...base, ...marks, error_code: errorCodes.OFFSET_OUT_OF_RANGE };
      }
      const records = budget > 0 ? log.read(p.fetch_offset, Math.min(p.partition_max_bytes, budget)) : Buffer.alloc(0);
      budget -= records.length;
      bytes += records.length;
      return { ...base, ...marks, error_code: errorCodes.NONE, records };
    }),
  }));
  return { responses, bytes, error };
}

function waitForAppend(state: BrokerState, maxWaitMs: number, satisfied: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      state.appended.off('append', onAppend);
      resolve();
    };
    const onAppend = () => {
      if (satisfied()) done();
    };
    const timer = setTimeout(done, maxWaitMs);
    state.appended.on('append', onAppend);
  });
}
