import type { ApiDefinition } from '../api';
import { apiVersions } from './api-versions';
import { createTopics } from './create-topics';
import { describeGroups } from './describe-groups';
import { fetch } from './fetch';
import { findCoordinator } from './find-coordinator';
import { heartbeat } from './heartbeat';
import { joinGroup } from './join-group';
import { leaveGroup } from './leave-group';
import { listGroups } from './list-groups';
import { listOffsets } from './list-offsets';
import { metadata } from './metadata';
import { offsetCommit } from './offset-commit';
import { offsetFetch } from './offset-fetch';
import { produce } from './produce';
import { syncGroup } from './sync-group';

/** Every API the broker speaks, by key. ApiVersions answers from this table: advertised is implemented. */
export const apis: ReadonlyMap<number, ApiDefinition> = new Map(
  [
    apiVersions,
    metadata,
    createTopics,
    produce,
    fetch,
    listOffsets,
    findCoordinator,
    joinGroup,
    syncGroup,
    heartbeat,
    leaveGroup,
    offsetCommit,
    offsetFetch,
    describeGroups,
    listGroups,
  ].map((api) => [api.key, api]),
);
