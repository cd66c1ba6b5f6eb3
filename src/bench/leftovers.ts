/**
 * What a run of the CLI may have left behind, found from the outside (Linux /proc): the
 * processes that carry the run's tag in their environment (children inherit it, however
 * deep), the TCP ports they listen on, and the entries left in the run's own TMPDIR. Used by
 * the soak (soak.ts) and by the end-to-end interrupt tests.
 */
import { readdir, readFile, readlink } from 'node:fs/promises';

/** The environment variable that marks every process of one run. */
export const RUN_TAG = 'MTLS_LAB_RUN_TAG';

export interface Leftovers {
  processes: { pid: number; command: string }[];
  /** Ports those processes listen on (TCP, IPv4 and IPv6). */
  ports: number[];
  /** Entries left in the run's TMPDIR. */
  tempEntries: string[];
}

async function readOr(path: string, fallback = ''): Promise<string> {
  return readFile(path, 'utf8').catch(() => fallback);
}

/** Live processes whose environment holds RUN_TAG=tag (a zombie's environment reads empty). */
export async function taggedProcesses(tag: string): Promise<{ pid: number; command: string }[]> {
  const marker = `${RUN_TAG}=${tag}\0`;
  const pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name)).map(Number);
  const found: { pid: number; command: string }[] = [];
  for (const pid of pids) {
    if (pid === process.pid) continue;
    const environ = await readOr(`/proc/${pid}/environ`);
    if (!`${environ}\0`.includes(marker)) continue;
    const command = (await readOr(`/proc/${pid}/cmdline`)).split('\0').join(' ').trim();
    found.push({ pid, command });
  }
  return found;
}

/** TCP ports in LISTEN state held by these processes. */
export async function listeningPorts(pids: readonly number[]): Promise<number[]> {
  const inodes = new Set<string>();
  for (const pid of pids) {
    const fds = await readdir(`/proc/${pid}/fd`).catch(() => []);
    for (const fd of fds) {
      const link = await readlink(`/proc/${pid}/fd/${fd}`).catch(() => '');
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode) inodes.add(inode);
    }
  }
  if (inodes.size === 0) return [];
  const ports = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    for (const line of (await readOr(table)).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; field 9 is the inode.
      if (fields[3] === '0A' && inodes.has(fields[9] ?? '')) {
        ports.add(parseInt(fields[1]?.split(':')[1] ?? '0', 16));
      }
    }
  }
  return [...ports].sort((a, b) => a - b);
}

export async function findLeftovers(tag: string, tempDir: string): Promise<Leftovers> {
  const processes = await taggedProcesses(tag);
  return {
    processes,
    ports: await listeningPorts(processes.map((p) => p.pid)),
    tempEntries: await readdir(tempDir).catch(() => []),
  };
}

export const nothingLeft = (found: Leftovers): boolean =>
  found.processes.length === 0 && found.ports.length === 0 && found.tempEntries.length === 0;
