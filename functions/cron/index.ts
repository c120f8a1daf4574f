import { eventRouter } from '../../shared/runtime';
import { onPingTick } from './handlers/ping-tick';

export const handle = eventRouter({
  'dev.knative.sources.ping': onPingTick,
});
