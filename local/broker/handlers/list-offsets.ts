import { errorCodes } from '../protocol/errors';
import type { Handler } from './types';

const LATEST = -1n;
const EARLIEST = -2n;

interface ListOffsetsRequest {
  topics: { name: string; partitions: { partition_index: number; timestamp: bigint }[] }[];
}

export const handleListOffsets: Handler = (raw, { state }) => {
  const request = raw as unknown as ListOffsetsRequest;
  return {
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map(({ partition_index, timestamp }) => {
        const log = state.topics.partition(topic.name, partition_index);
        if (!log)
          return { partition_index, error_code: errorCodes.UNKNOWN_TOPIC_OR_PARTITION, timestamp: -1n, offset: -1n };
        const offset =
          timestamp === LATEST
            ? log.highWatermark
            : timestamp === EARLIEST
              ? log.logStartOffset
              : log.offsetForTimestamp(timestamp);
        return { partition_index, error_code: errorCodes.NONE, timestamp: -1n, offset, leader_epoch: 0 };
      }),
    })),
  };
};
