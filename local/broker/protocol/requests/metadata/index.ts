import type { ApiDefinition } from '../../api';
import { f } from '../../fields';

/*
 * Metadata Request (Version: 9, flexible)  => [topics] allow_auto_topic_creation
 *     include_cluster_authorized_operations include_topic_authorized_operations
 *   topics => name                    (a null array, v1+, means every topic)
 * Metadata Response (Version: 9, flexible) => throttle_time_ms [brokers] cluster_id controller_id [topics]
 *     cluster_authorized_operations
 *   brokers => node_id host port rack
 *   topics => error_code name is_internal [partitions] topic_authorized_operations
 *     partitions => error_code partition_index leader_id leader_epoch [replica_nodes] [isr_nodes] [offline_replicas]
 */
export const metadata: ApiDefinition = {
  key: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 9,
  flexible: '9+',
  request: [
    f.structs('topics', [f.string('name')], '0+', '1+'),
    f.bool('allow_auto_topic_creation', '4+', { default: true }),
    f.bool('include_cluster_authorized_operations', '8+'),
    f.bool('include_topic_authorized_operations', '8+'),
  ],
  response: [
    f.int32('throttle_time_ms', '3+'),
    f.structs('brokers', [f.int32('node_id'), f.string('host'), f.int32('port'), f.nullableString('rack', '1+')]),
    f.nullableString('cluster_id', '2+'),
    f.int32('controller_id', '1+'),
    f.structs('topics', [
      f.int16('error_code'),
      f.string('name'),
      f.bool('is_internal', '1+'),
      f.structs('partitions', [
        f.int16('error_code'),
        f.int32('partition_index'),
        f.int32('leader_id'),
        f.int32('leader_epoch', '7+'),
        f.array('replica_nodes', 'int32'),
        f.array('isr_nodes', 'int32'),
        f.array('offline_replicas', 'int32', '5+'),
      ]),
      f.int32('topic_authorized_operations', '8+'),
    ]),
    f.int32('cluster_authorized_operations', '8+'),
  ],
};
