/**
 * Running an external engine's matrix in a test and checking what it leaves behind: every
 * server the driver starts is recorded, with its PIDs and folders.
 */
import { vi } from 'vitest';
import type { EngineDriver, EngineServer } from '../../src/engines/types.js';
import { leftovers } from './processes.js';

/** Records every server the driver starts from now on, until restore(). */
export function recordStarts(driver: EngineDriver) {
  const servers: EngineServer[] = [];
  const original = driver.start.bind(driver);
  const spy = vi.spyOn(driver, 'start').mockImplementation(async (options) => {
    const server = await original(options);
    servers.push(server);
    return server;
  });
  return {
    pids: () => servers.flatMap((server) => server.pids?.() ?? []),
    dirs: () => servers.flatMap((server) => server.dirs?.() ?? []),
    count: () => servers.length,
    restore: () => spy.mockRestore(),
  };
}

export { leftovers };
