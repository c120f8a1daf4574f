export { ConfigError, loadConfig } from './load';
export { env } from './fields';
export { runtimeConfigSchema, type RuntimeConfig } from './runtime';
