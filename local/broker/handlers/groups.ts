import { errorCodes } from '../protocol/errors';
import type { Handler } from './types';

interface JoinGroupRequest {
  group_id: string;
  session_timeout_ms: number;
  rebalance_timeout_ms: number;
  member_id: string;
  protocol_type: string;
  protocols: { name: string; metadata: Buffer }[];
}

const MIN_SESSION_MS = 1_000;
const MAX_SESSION_MS = 300_000;

export const handleJoinGroup: Handler = async (raw, { state, clientId, clientHost }) => {
  const request = raw as unknown as JoinGroupRequest;
  if (request.group_id === '') return { error_code: errorCodes.INVALID_GROUP_ID, member_id: request.member_id };
  if (request.session_timeout_ms < MIN_SESSION_MS || request.session_timeout_ms > MAX_SESSION_MS) {
    return { error_code: errorCodes.INVALID_SESSION_TIMEOUT, member_id: request.member_id };
  }
  const result = await state.group(request.group_id).join({
    memberId: request.member_id,
    clientId: clientId ?? '',
    clientHost,
    sessionTimeoutMs: request.session_timeout_ms,
    rebalanceTimeoutMs: request.rebalance_timeout_ms,
    protocolType: request.protocol_type,
    protocols: request.protocols,
  });
  return {
    error_code: result.errorCode,
    generation_id: result.generationId,
    protocol_name: result.protocolName,
    leader: result.leader,
    member_id: result.memberId,
    members: result.members.map((m) => ({ member_id: m.memberId, group_instance_id: null, metadata: m.metadata })),
  };
};

interface SyncGroupRequest {
  group_id: string;
  generation_id: number;
  member_id: string;
  assignments: { member_id: string; assignment: Buffer }[];
}

export const handleSyncGroup: Handler = async (raw, { state }) => {
  const request = raw as unknown as SyncGroupRequest;
  const group = state.existingGroup(request.group_id);
  if (!group) return { error_code: errorCodes.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) };
  const result = await group.sync(
    request.member_id,
    request.generation_id,
    request.assignments.map((a) => ({ memberId: a.member_id, assignment: a.assignment })),
  );
  return { error_code: result.errorCode, assignment: result.assignment };
};

interface HeartbeatRequest {
  group_id: string;
  generation_id: number;
  member_id: string;
}

export const handleHeartbeat: Handler = (raw, { state }) => {
  const request = raw as unknown as HeartbeatRequest;
  const group = state.existingGroup(request.group_id);
  return {
    error_code: group ? group.heartbeat(request.member_id, request.generation_id) : errorCodes.UNKNOWN_MEMBER_ID,
  };
};

interface LeaveGroupRequest {
  group_id: string;
  member_id?: string;
  members?: { member_id: string; group_instance_id: string | null }[];
}

export const handleLeaveGroup: Handler = (raw, { state, version }) => {
  const request = raw as unknown as LeaveGroupRequest;
  const group = state.existingGroup(request.group_id);
  const leavers =
    version >= 3 ? (request.members ?? []) : [{ member_id: request.member_id ?? '', group_instance_id: null }];
  const members = leavers.map((m) => ({
    ...m,
    error_code: group ? group.leave(m.member_id) : errorCodes.UNKNOWN_MEMBER_ID,
  }));
  return { error_code: version >= 3 ? errorCodes.NONE : (members[0]?.error_code ?? errorCodes.NONE), members };
};

export const handleDescribeGroups: Handler = (raw, { state }) => {
  const { groups } = raw as unknown as { groups: string[] };
  return {
    groups: groups.map((id) => {
      const group = state.existingGroup(id);
      return {
        error_code: errorCodes.NONE,
        group_id: id,
        group_state: group ? group.state : 'Dead',
        protocol_type: group?.protocolType ?? '',
        protocol_data: group?.protocolName ?? '',
        members: (group?.memberList ?? []).map((m) => ({
          member_id: m.id,
          group_instance_id: null,
          client_id: m.clientId,
          client_host: m.clientHost,
          member_metadata: m.protocols.find((p) => p.name === group?.protocolName)?.metadata ?? Buffer.alloc(0),
          member_assignment: m.assignment,
        })),
      };
    }),
  };
};

export const handleListGroups: Handler = (_raw, { state }) => ({
  error_code: errorCodes.NONE,
  groups: state
    .groupIds()
    .map((id) => ({ group_id: id, protocol_type: state.existingGroup(id)?.protocolType ?? 'consumer' })),
});
