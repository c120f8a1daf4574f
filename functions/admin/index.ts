import { eventRouter } from '../../shared/runtime';

/** No event is consumed yet: every event is answered 422 (dead-lettered) until a handler is added. */
export const handle = eventRouter({});
