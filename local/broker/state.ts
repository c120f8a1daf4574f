import { EventEmitter } from 'node:events';
import type { Logger } from 'pino';
import { Group } from './groups/group';
import { OffsetStore } from './groups/offset-store';
import { TopicStore } from './log/topics';

export interface BrokerConfig {
  nodeId: number;
  advertisedHost: string;
  advertisedPort: number;
  autoCreateTopics: boolean;
  defaultPartitions: number;
  maxFrameBytes: number;
}

/** What the handlers share: topics, groups, committed offsets, and a signal for fetches waiting on data. */
export class BrokerState {
  readonly appended = new EventEmitter();
  private readonly groups = new Map<string, Group>();

  constructor(
    readonly config: BrokerConfig,
    readonly topics: TopicStore,
    readonly offsets: OffsetStore,
    readonly log: Logger,
  ) {
    this.appended.setMaxListeners(0);
  }

  group(id: string): Group {
    let group = this.groups.get(id);
    if (!group) {
      group = new Group(id, this.log);
      this.groups.set(id, group);
    }
    return group;
  }

  existingGroup(id: string): Group | undefined {
    return this.groups.get(id);
  }

  groupIds(): string[] {
    return [...new Set([...this.groups.keys(), ...this.offsets.groups()])];
  }

  close(): void {
    for (const group of this.groups.values()) group.close();
    this.topics.close();
  }
}
