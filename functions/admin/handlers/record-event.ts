import type { CloudEvent } from 'cloudevents';
import { catalog, isEventType } from '../../../shared/events';
import { ProblemError } from '../../../shared/errors';
import type { Handle, HandlerContext } from '../../../shared/runtime';
import { logEvent, recordDeadLetter } from '../queries/event-log';

/**
 * Every event the admin function's KafkaSources bring: from the topics, into the event log; from the
 * dead-letters topic (it carries Knative's `knativeerror*` extensions), into the dead letters. Both
 * are kept as they arrived, data unvalidated: a poisoned event is exactly what an operator must see.
 * Stored once per event (or per dead-letter record), so a redelivery changes nothing.
 */
async function recordEvent(event: CloudEvent<unknown>, context: HandlerContext): Promise<[]> {
  const extension = (name: string) => (event as unknown as Record<string, unknown>)[name] as string | undefined;
  const partition = numberOrNull(extension('knativekafkapartition'));
  const offset = extension('knativekafkaoffset');
  const common = {
    source: event.source,
    eventId: event.id,
    type: event.type,
    subject: event.subject ?? null,
    time: event.time ? new Date(event.time) : null,
    data: event.data ?? null,
  };
  const destination = extension('knativeerrordest');
  if (destination !== undefined) {
    if (partition === null || offset === undefined)
      throw new ProblemError('rejected-event', 'A dead letter must carry knativekafkapartition and knativekafkaoffset');
    const errorData = extension('knativeerrordata');
    await recordDeadLetter(context.db, {
      ...common,
      dlPartition: partition,
      dlOffset: BigInt(offset),
      destination,
      errorCode: numberOrNull(extension('knativeerrorcode')),
      errorData: errorData === undefined ? null : Buffer.from(errorData, 'base64').toString('utf8'),
    });
    return [];
  }
  await logEvent(context.db, {
    ...common,
    topic: isEventType(event.type) ? catalog[event.type].topic : null,
    partition,
    offset: offset === undefined ? null : BigInt(offset),
  });
  return [];
}

function numberOrNull(value: string | undefined): number | null {
  return value === undefined || !/^\d+$/.test(value) ? null : Number(value);
}

/** The types on the topics the admin's KafkaSource reads: every one that travels on Kafka. */
const loggedTypes = Object.entries(catalog)
  .filter(([, definition]) => definition.topic !== null)
  .map(([type]) => type) as Handle['types'];

export const handle: Handle = Object.assign(recordEvent, {
  types: loggedTypes,
  check(event: CloudEvent<unknown>) {
    // A dead letter is kept whatever its type; a live event only if the catalog knows its type.
    const isDeadLetter = (event as unknown as Record<string, unknown>)['knativeerrordest'] !== undefined;
    if (!isDeadLetter && !isEventType(event.type))
      throw new ProblemError('unknown-event-type', `Event type "${event.type}" is not in the catalog`);
  },
});
