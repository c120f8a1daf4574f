import { errorCodes } from '../protocol/errors';
import { isValidTopicName } from '../log/topics';
import type { Handler } from './types';

interface CreateTopicsRequest {
  topics: { name: string; num_partitions: number; replication_factor: number }[];
  validate_only: boolean;
}

export const handleCreateTopics: Handler = (raw, { state }) => {
  const request = raw as unknown as CreateTopicsRequest;
  return {
    topics: request.topics.map(({ name, num_partitions: partitions, replication_factor: replication }) => {
      const fail = (code: number, message: string) => ({ name, error_code: code, error_message: message });
      if (!isValidTopicName(name)) return fail(errorCodes.INVALID_TOPIC_EXCEPTION, `invalid topic name "${name}"`);
      if (state.topics.get(name)) return fail(errorCodes.TOPIC_ALREADY_EXISTS, `topic "${name}" already exists`);
      const count = partitions === -1 ? state.config.defaultPartitions : partitions;
      if (count < 1 || count > 10_000)
        return fail(errorCodes.INVALID_PARTITIONS, `invalid partition count ${String(partitions)}`);
      if (replication !== -1 && replication !== 1)
        return fail(errorCodes.INVALID_REPLICATION_FACTOR, 'a single broker has replication factor 1');
      if (!request.validate_only) {
        state.topics.create(name, count);
        state.log.info({ topic: name, partitions: count }, 'topic created');
      }
      return { name, error_code: errorCodes.NONE, error_message: null };
    }),
  };
};
