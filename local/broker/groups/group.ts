import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { errorCodes } from '../protocol/errors';

export type GroupState = 'Empty' | 'PreparingRebalance' | 'CompletingRebalance' | 'Stable';

export interface JoinRequest {
  memberId: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: { name: string; metadata: Buffer }[];
}

export interface JoinResult {
  errorCode: number;
  generationId: number;
  protocolName: string;
  leader: string;
  memberId: string;
  members: { memberId: string; metadata: Buffer }[];
}

export interface SyncResult {
  errorCode: number;
  assignment: Buffer;
}

interface Member {
  id: string;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocols: { name: string; metadata: Buffer }[];
  assignment: Buffer;
  joining?: (result: JoinResult) => void;
  syncing?: (result: SyncResult) => void;
  sessionTimer?: NodeJS.Timeout;
}

/**
 * One consumer group's membership protocol, as Kafka's GroupCoordinator runs it: members join
 * (PreparingRebalance) until every known member has rejoined or the rebalance timeout passes; then a
 * new generation starts, the leader gets every member's metadata (CompletingRebalance), and its
 * SyncGroup hands out the assignments (Stable). A member that stops heartbeating within its session
 * timeout is removed and the group rebalances. Stale members and generations get the protocol's errors.
 */
export class Group {
  state: GroupState = 'Empty';
  generationId = 0;
  protocolType = '';
  protocolName = '';
  leader = '';
  private readonly members = new Map<string, Member>();
  private rebalanceTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly id: string,
    private readonly log: Logger,
  ) {}

  get memberList(): readonly Member[] {
    return [...this.members.values()];
  }

  join(request: JoinRequest): Promise<JoinResult> {
    if (request.memberId !== '' && !this.members.has(request.memberId))
      return Promise.resolve(joinError(errorCodes.UNKNOWN_MEMBER_ID, request.memberId));
    if (this.members.size > 0 && request.protocolType !== this.protocolType) {
      return Promise.resolve(joinError(errorCodes.INCONSISTENT_GROUP_PROTOCOL, request.memberId));
    }
    const id = request.memberId || `${request.clientId}-${randomUUID()}`;
    const member: Member = this.members.get(id) ?? {
      id,
      clientId: request.clientId,
      clientHost: request.clientHost,
      sessionTimeoutMs: 0,
      rebalanceTimeoutMs: 0,
      protocols: [],
      assignment: Buffer.alloc(0),
    };
    Object.assign(member, {
      sessionTimeoutMs: request.sessionTimeoutMs,
      rebalanceTimeoutMs: request.rebalanceTimeoutMs > 0 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
      protocols: request.protocols,
    });
    this.members.set(id, member);
    this.protocolType = request.protocolType;
    // While a join is pending the member is waiting on us, not expected to heartbeat.
    clearTimeout(member.sessionTimer);
    return new Promise((resolve) => {
      member.joining = resolve;
      if (this.state !== 'PreparingRebalance') this.prepareRebalance();
      else this.completeJoinIfReady();
    });
  }

  sync(
    memberId: string,
    generationId: number,
    assignments: { memberId: string; assignment: Buffer }[],
  ): Promise<SyncResult> {
    const member = this.members.get(memberId);
    if (!member) return Promise.resolve({ errorCode: errorCodes.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    if (generationId !== this.generationId)
      return Promise.resolve({ errorCode: errorCodes.ILLEGAL_GENERATION, assignment: Buffer.alloc(0) });
    if (this.state === 'PreparingRebalance')
      return Promise.resolve({ errorCode: errorCodes.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
    this.touch(member);
    if (this.state === 'Stable') return Promise.resolve({ errorCode: errorCodes.NONE, assignment: member.assignment });
    return new Promise((resolve) => {
      member.syncing = resolve;
      if (memberId === this.leader) {
        const byMember = new Map(assignments.map((a) => [a.memberId, a.assignment]));
        for (const m of this.members.values()) m.assignment = byMember.get(m.id) ?? Buffer.alloc(0);
        this.state = 'Stable';
        for (const m of this.members.values()) {
          m.syncing?.({ errorCode: errorCodes.NONE, assignment: m.assignment });
          m.syncing = undefined;
        }
      }
    });
  }

  heartbeat(memberId: string, generationId: number): number {
    const member = this.members.get(memberId);
    if (!member) return errorCodes.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return errorCodes.ILLEGAL_GENERATION;
    this.touch(member);
    return this.state === 'PreparingRebalance' ? errorCodes.REBALANCE_IN_PROGRESS : errorCodes.NONE;
  }

  leave(memberId: string): number {
    const member = this.members.get(memberId);
    if (!member) return errorCodes.UNKNOWN_MEMBER_ID;
    this.remove(member);
    return errorCodes.NONE;
  }

  /** May this member commit offsets for this generation? (generation -1: a commit from outside the group) */
  checkCommit(memberId: string, generationId: number): number {
    if (generationId < 0) return this.members.size === 0 ? errorCodes.NONE : errorCodes.ILLEGAL_GENERATION;
    const member = this.members.get(memberId);
    if (!member) return errorCodes.UNKNOWN_MEMBER_ID;
    if (generationId !== this.generationId) return errorCodes.ILLEGAL_GENERATION;
    if (this.state === 'PreparingRebalance') return errorCodes.REBALANCE_IN_PROGRESS;
    this.touch(member);
    return errorCodes.NONE;
  }

  close(): void {
    clearTimeout(this.rebalanceTimer);
    for (const member of this.members.values()) clearTimeout(member.sessionTimer);
  }

  private prepareRebalance(): void {
    for (const member of this.members.values()) {
      member.syncing?.({ errorCode: errorCodes.REBALANCE_IN_PROGRESS, assignment: Buffer.alloc(0) });
      member.syncing = undefined;
    }
    this.state = 'PreparingRebalance';
    this.log.debug({ group: this.id, members: this.members.size }, 'rebalance: waiting for members to rejoin');
    const timeout = Math.max(0, ...[...this.members.values()].map((m) => m.rebalanceTimeoutMs));
    clearTimeout(this.rebalanceTimer);
    this.rebalanceTimer = setTimeout(() => {
      this.completeJoin();
    }, timeout);
    this.completeJoinIfReady();
  }

  private completeJoinIfReady(): void {
    if ([...this.members.values()].every((m) => m.joining)) this.completeJoin();
  }

  /** Starts the next generation with the members that rejoined; the others are dropped. */
  private completeJoin(): void {
    clearTimeout(this.rebalanceTimer);
    for (const member of this.members.values()) if (!member.joining) this.members.delete(member.id);
    this.generationId += 1;
    if (this.members.size === 0) {
      this.state = 'Empty';
      return;
    }
    this.log.debug(
      { group: this.id, generation: this.generationId, members: [...this.members.keys()] },
      'rebalance: new generation',
    );
    this.protocolName = this.chooseProtocol();
    if (!this.members.has(this.leader)) this.leader = this.members.keys().next().value ?? '';
    this.state = 'CompletingRebalance';
    const everyone = [...this.members.values()].map((m) => ({
      memberId: m.id,
      metadata: m.protocols.find((p) => p.name === this.protocolName)?.metadata ?? Buffer.alloc(0),
    }));
    for (const member of this.members.values()) {
      member.joining?.({
        errorCode: errorCodes.NONE,
        generationId: this.generationId,
        protocolName: this.protocolName,
        leader: this.leader,
        memberId: member.id,
        members: member.id === this.leader ? everyone : [],
      });
      member.joining = undefined;
      this.touch(member);
    }
  }

  /** The leader's most preferred protocol that every member supports. */
  private chooseProtocol(): string {
    const members = [...this.members.values()];
    const candidates = (this.members.get(this.leader) ?? members[0])?.protocols.map((p) => p.name) ?? [];
    return (
      candidates.find((name) => members.every((m) => m.protocols.some((p) => p.name === name))) ?? candidates[0] ?? ''
    );
  }

  private touch(member: Member): void {
    clearTimeout(member.sessionTimer);
    member.sessionTimer = setTimeout(() => {
      this.remove(member);
    }, member.sessionTimeoutMs);
    member.sessionTimer.unref();
  }

  private remove(member: Member): void {
    this.log.debug({ group: this.id, member: member.id, state: this.state }, 'member removed');
    clearTimeout(member.sessionTimer);
    member.joining?.(joinError(errorCodes.UNKNOWN_MEMBER_ID, member.id));
    member.syncing?.({ errorCode: errorCodes.UNKNOWN_MEMBER_ID, assignment: Buffer.alloc(0) });
    this.members.delete(member.id);
    if (this.members.size === 0) {
      clearTimeout(this.rebalanceTimer);
      this.state = 'Empty';
      this.generationId += 1;
    } else if (this.state === 'PreparingRebalance') {
      this.completeJoinIfReady();
    } else {
      this.prepareRebalance();
    }
  }
}

function joinError(errorCode: number, memberId: string): JoinResult {
  return { errorCode, generationId: -1, protocolName: '', leader: '', memberId, members: [] };
}
