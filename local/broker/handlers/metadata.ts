import { errorCodes } from '../protocol/errors';
import { isValidTopicName } from '../log/topics';
import type { BrokerState } from '../state';
import type { Handler } from './types';

interface MetadataRequest {
  topics: { name: string }[] | null;
  allow_auto_topic_creation: boolean;
}

export const handleMetadata: Handler = (raw, { state, version }) => {
  const request = raw as unknown as MetadataRequest;
  // v0 has no null: an empty list meant "all topics" there.
  const all = request.topics === null || (version === 0 && request.topics.length === 0);
  const names = all ? state.topics.names() : (request.topics ?? []).map((t) => t.name);
  const { nodeId, advertisedHost, advertisedPort } = state.config;
  return {
    brokers: [{ node_id: nodeId, host: advertisedHost, port: advertisedPort, rack: null }],
    cluster_id: 'knpay-dev-broker',
    controller_id: nodeId,
    topics: names.map((name) => describeTopic(state, name, !all && request.allow_auto_topic_creation)),
  };
};

function describeTopic(state: BrokerState, name: string, autoCreate: boolean) {
  if (!isValidTopicName(name))
    return { error_code: errorCodes.INVALID_TOPIC_EXCEPTION, name, is_internal: false, partitions: [] };
  let logs = state.topics.get(name);
  if (!logs && autoCreate && state.config.autoCreateTopics) {
    logs = state.topics.create(name, state.config.defaultPartitions);
    state.log.info({ topic: name, partitions: logs.length }, 'topic auto-created');
  }
  if (!logs) return { error_code: errorCodes.UNKNOWN_TOPIC_OR_PARTITION, name, is_internal: false, partitions: [] };
  const { nodeId } = state.config;
  return {
    error_code: errorCodes.NONE,
    name,
    is_internal: false,
    partitions: logs.map((_, index) => ({
      error_code: errorCodes.NONE,
      partition_index: index,
      leader_id: nodeId,
      leader_epoch: 0,
      replica_nodes: [nodeId],
      isr_nodes: [nodeId],
      offline_replicas: [],
    })),
  };
}
