import { handleApiVersions } from './api-versions';
import { handleCreateTopics } from './create-topics';
import { handleFetch } from './fetch';
import { handleFindCoordinator } from './find-coordinator';
import {
  handleDescribeGroups,
  handleHeartbeat,
  handleJoinGroup,
  handleLeaveGroup,
  handleListGroups,
  handleSyncGroup,
} from './groups';
import { handleListOffsets } from './list-offsets';
import { handleMetadata } from './metadata';
import { handleOffsetCommit, handleOffsetFetch } from './offsets';
import { handleProduce } from './produce';
import type { Handler } from './types';

/** The handler of each API key (the keys of protocol/requests). */
export const handlers: ReadonlyMap<number, Handler> = new Map([
  [0, handleProduce],
  [1, handleFetch],
  [2, handleListOffsets],
  [3, handleMetadata],
  [8, handleOffsetCommit],
  [9, handleOffsetFetch],
  [10, handleFindCoordinator],
  [11, handleJoinGroup],
  [12, handleHeartbeat],
  [13, handleLeaveGroup],
  [14, handleSyncGroup],
  [15, handleDescribeGroups],
  [16, handleListGroups],
  [18, handleApiVersions],
  [19, handleCreateTopics],
]);
