/**
 * Server engines: the built-in Node servers, and external implementations driven as child
 * processes. An engine that cannot serve a protocol or express a mode, or is not installed,
 * makes its cells skipped with the reason, never failed.
 */
export { DRIVERS, driverOf, type Engine, ENGINES, unavailableReason, unservedReason } from './registry.js';
export type { Deviation, EngineDriver, EngineServer, EngineStartOptions } from './types.js';
