/**
 * Starting one external engine server: a fresh marked folder, the engine's files written
 * into it for a free port, the engine started under its supervisor, readiness awaited; on a
 * lost port race all of it again on another port (the failed attempt's supervisor has
 * already removed its folder).
 */
import { engineDir, removeDir } from './engine-dir.js';
import { onFreePort } from './ports.js';
import { PortInUse, startSupervised, type SuperviseOptions, type Supervised } from './supervised.js';

export interface ExternalStart {
  engine: string;
  what: string;
  host: string;
  /** Writes the engine's files into `dir` for `port` and says how to run it. */
  prepare(
    dir: string,
    port: number,
  ): Promise<{ command: string; args: readonly string[]; env?: NodeJS.ProcessEnv }>;
  readyLine?: RegExp;
  /** Also wait until the port accepts a TCP connection. */
  readyByTcp?: boolean;
  portInUse?: RegExp;
  signal?: AbortSignal;
}

export interface ExternalProcess {
  port: number;
  dir: string;
  process: Supervised;
}

export function startExternal(options: ExternalStart): Promise<ExternalProcess> {
  return onFreePort(
    options.host,
    async (port) => {
      const dir = await engineDir(options.engine);
      let run: Awaited<ReturnType<ExternalStart['prepare']>>;
      try {
        run = await options.prepare(dir, port);
      } catch (error) {
        await removeDir(dir);
        throw error;
      }
      const supervise: SuperviseOptions = {
        what: options.what,
        command: run.command,
        args: run.args,
        dir,
        ...(run.env ? { env: run.env } : {}),
        ...(options.readyLine ? { readyLine: options.readyLine } : {}),
        ...(options.readyByTcp ? { readyPort: { host: options.host, port } } : {}),
        ...(options.portInUse ? { portInUse: options.portInUse } : {}),
        ...(options.signal ? { signal: options.signal } : {}),
      };
      return { port, dir, process: await startSupervised(supervise) };
    },
    (error) => error instanceof PortInUse,
  );
}
