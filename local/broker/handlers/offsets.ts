import { errorCodes } from '../protocol/errors';
import type { Handler } from './types';

interface OffsetCommitRequest {
  group_id: string;
  generation_id: number;
  member_id: string;
  topics: {
    name: string;
    partitions: { partition_index: number; committed_offset: bigint; committed_metadata: string | null }[];
  }[];
}

/** Commits only for the member's current generation; written to disk before the answer. */
export const handleOffsetCommit: Handler = (raw, { state }) => {
  const request = raw as unknown as OffsetCommitRequest;
  const group = state.existingGroup(request.group_id);
  const check = group
    ? group.checkCommit(request.member_id, request.generation_id)
    : request.generation_id < 0
      ? errorCodes.NONE
      : errorCodes.UNKNOWN_MEMBER_ID;
  return {
    topics: request.topics.map((topic) => ({
      name: topic.name,
      partitions: topic.partitions.map((p) => {
        let code: number = check;
        if (code === errorCodes.NONE && !state.topics.partition(topic.name, p.partition_index))
          code = errorCodes.UNKNOWN_TOPIC_OR_PARTITION;
        if (code === errorCodes.NONE) {
          state.offsets.commit(request.group_id, topic.name, p.partition_index, {
            offset: p.committed_offset,
            metadata: p.committed_metadata,
          });
        }
        return { partition_index: p.partition_index, error_code: code };
      }),
    })),
  };
};

interface OffsetFetchRequest {
  group_id: string;
  topics: { name: string; partition_indexes: number[] }[] | null;
}

export const handleOffsetFetch: Handler = (raw, { state }) => {
  const request = raw as unknown as OffsetFetchRequest;
  const wanted = request.topics ?? groupByTopic(state.offsets.partitionsOf(request.group_id));
  return {
    error_code: errorCodes.NONE,
    topics: wanted.map((topic) => ({
      name: topic.name,
      partitions: topic.partition_indexes.map((partition) => {
        const committed = state.offsets.get(request.group_id, topic.name, partition);
        return {
          partition_index: partition,
          committed_offset: committed?.offset ?? -1n,
          metadata: committed?.metadata ?? '',
          error_code: errorCodes.NONE,
        };
      }),
    })),
  };
};

function groupByTopic(partitions: { topic: string; partition: number }[]) {
  const byTopic = new Map<string, number[]>();
  for (const { topic, partition } of partitions) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
  return [...byTopic].map(([name, partition_indexes]) => ({ name, partition_indexes }));
}
