import { errorCodes } from '../protocol/errors';
import { BatchError, readBatches } from '../record-batch';
import { isValidTopicName } from '../log/topics';
import type { BrokerState } from '../state';
import type { Handler } from './types';

interface ProduceRequest {
  acks: number;
  topic_data: { name: string; partition_data: { index: number; records: Buffer | null }[] }[];
}

export const handleProduce: Handler = (raw, { state }) => {
  const request = raw as unknown as ProduceRequest;
  const responses = request.topic_data.map((topic) => ({
    name: topic.name,
    partition_responses: topic.partition_data.map((p) => ({
      index: p.index,
      ...appendTo(state, topic.name, p.index, p.records, request.acks),
    })),
  }));
  // acks=0: the client expects no answer at all (server.ts sends none).
  return { responses };
};

function appendTo(state: BrokerState, topic: string, partition: number, records: Buffer | null, acks: number) {
  const failure = (code: number) => ({ error_code: code, base_offset: -1n, log_start_offset: -1n });
  if (![-1, 0, 1].includes(acks)) return failure(errorCodes.INVALID_REQUIRED_ACKS);
  if (!isValidTopicName(topic)) return failure(errorCodes.INVALID_TOPIC_EXCEPTION);
  if (!state.topics.get(topic) && state.config.autoCreateTopics)
    state.topics.create(topic, state.config.defaultPartitions);
  const log = state.topics.partition(topic, partition);
  if (!log) return failure(errorCodes.UNKNOWN_TOPIC_OR_PARTITION);
  try {
    const batches = readBatches(records ?? Buffer.alloc(0));
    const baseOffset = log.append(batches);
    if (batches.length > 0) state.appended.emit('append');
    return { error_code: errorCodes.NONE, base_offset: baseOffset, log_start_offset: log.logStartOffset };
  } catch (error) {
    if (!(error instanceof BatchError)) throw error;
    state.log.warn({ topic, partition, error: error.message }, 'produce refused');
    return failure(errorCodes[error.errorName]);
  }
}
