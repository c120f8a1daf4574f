export { eventRouter } from './event-router';
export { startFunction, type RunningFunction } from './start';
export type { EventHandler, FunctionModule, Handle, HandlerContext, HandlerTable, ServiceContext } from './types';
