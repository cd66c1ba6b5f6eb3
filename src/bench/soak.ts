/**
 * `npm run soak`: the CLI run again and again, and interrupted at random moments, checking
 * after every run that nothing of it is left: no process, no listening port, no temporary
 * folder (see leftovers.ts). By default 50 consecutive default matrices, then 10 interrupts of
 * each command (gen with RSA 4096 keys, matrix, matrix --engine openssl, serve, probe), each
 * at a random moment within that command's own running time. Prints the time from each
 * signal to the exit (max and median) and the leftovers found; exits 1 if any.
 * SOAK_MATRICES and SOAK_INTERRUPTS change the counts.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { findLeftovers, type Leftovers, nothingLeft, RUN_TAG } from './leftovers.js';

const CLI = fileURLToPath(new URL('../../bin/mtls-lab.js', import.meta.url));
const MATRICES = Number(process.env.SOAK_MATRICES ?? 50);
const INTERRUPTS = Number(process.env.SOAK_INTERRUPTS ?? 10);
/** A run that ignores its signal this long has failed the soak; it is then killed. */
const EXIT_BOUND_MS = 30_000;

type Signal = 'SIGINT' | 'SIGTERM' | 'SIGTERM twice';

interface RunOutcome {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** From the (first) signal to the exit; undefined when no signal was sent. */
  exitMs?: number;
  /** ms from the start to the exit. */
  ms: number;
  stderr: string;
  leftovers: Leftovers;
}

let runs = 0;
/** The run in progress, so that a Ctrl-C of the soak itself reaches it and its folder goes. */
let current: { child: ReturnType<typeof spawn> } | undefined;
let stopping = false;
process.on('SIGINT', () => {
  stopping = true;
  current?.child.kill('SIGINT');
});

/** One run of the CLI in its own TMPDIR, signalled `signalAt` ms after the start (if given). */
async function runCli(args: string[], signalAt?: number, signal: Signal = 'SIGINT'): Promise<RunOutcome> {
  const tempDir = await mkdtemp(join(tmpdir(), 'mtls-lab-soak-'));
  const tag = `soak-${process.pid}-${++runs}`;
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, ...args], {
    stdio: ['ignore', 'ignore', 'pipe'],
    // In its own folder too, so that `gen --out pki` writes where the leftovers are looked for.
    cwd: tempDir,
    env: { ...process.env, NO_COLOR: '1', TMPDIR: tempDir, [RUN_TAG]: tag },
  });
  current = { child };
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr += chunk));
  let signalledAt: number | undefined;
  const timer =
    signalAt === undefined
      ? undefined
      : setTimeout(() => {
          signalledAt = performance.now();
          child.kill(signal === 'SIGINT' ? 'SIGINT' : 'SIGTERM');
          if (signal === 'SIGTERM twice') setImmediate(() => child.kill('SIGTERM'));
        }, signalAt);
  const bound = setTimeout(() => child.kill('SIGKILL'), (signalAt ?? 0) + EXIT_BOUND_MS + 120_000);
  const [code, exitSignal] = (await new Promise((resolve) =>
    child.once('exit', (...result) => resolve(result)),
  )) as [number | null, NodeJS.Signals | null];
  const ended = performance.now();
  current = undefined;
  clearTimeout(timer);
  clearTimeout(bound);
  // Children are stopped before the CLI exits; a bounded look again catches a straggler.
  // The PKI a finished `gen` wrote is its result, not a leftover.
  const look = async () => {
    const found = await findLeftovers(tag, tempDir);
    return code === 0 ? { ...found, tempEntries: found.tempEntries.filter((e) => e !== 'pki') } : found;
  };
  let leftovers = await look();
  for (let i = 0; i < 20 && !nothingLeft(leftovers); i++) {
    await delay(250);
    leftovers = await look();
  }
  for (const { pid } of leftovers.processes) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  await rm(tempDir, { recursive: true, force: true });
  return {
    code,
    signal: exitSignal,
    ...(signalledAt !== undefined ? { exitMs: ended - signalledAt } : {}),
    ms: ended - started,
    stderr,
    leftovers,
  };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const max = (values: number[]) => Math.max(0, ...values);
const fmt = (ms: number) => `${Math.round(ms)} ms`;
const problems: string[] = [];

function check(what: string, outcome: RunOutcome, okCodes: number[]): void {
  const found = outcome.leftovers;
  if (!nothingLeft(found)) problems.push(`${what}: left ${JSON.stringify(found)}`);
  // Killed by the signal itself: it came before the CLI installed its handlers, when nothing exists yet.
  const diedEarly = outcome.signal === 'SIGINT' || outcome.signal === 'SIGTERM';
  if (!diedEarly && !okCodes.includes(outcome.code ?? -1))
    problems.push(`${what}: exit ${outcome.code ?? outcome.signal}: ${outcome.stderr.trim().slice(-300)}`);
}

const soakStarted = performance.now();

// 1. Consecutive default matrices.
const matrixMs: number[] = [];
for (let i = 0; i < MATRICES && !stopping; i++) {
  const outcome = await runCli(['matrix', '--format', 'json']);
  check(`matrix #${i + 1}`, outcome, [0]);
  matrixMs.push(outcome.ms);
  if ((i + 1) % 10 === 0) console.log(`  ${i + 1} matrices, ${problems.length} problems`);
}
if (MATRICES > 0)
  console.log(
    `${MATRICES} default matrices: median ${fmt(median(matrixMs))}, max ${fmt(max(matrixMs))}, ${problems.length} problems`,
  );

// 2. Interrupts at random moments. A serve for probe to probe, outside the counted runs, with
// a PKI of its own so that probe can be told which CA to trust.
const targetDir = await mkdtemp(join(tmpdir(), 'mtls-lab-soak-target-'));
const gen = spawn(process.execPath, [CLI, 'gen', '--out', join(targetDir, 'pki')], { stdio: 'ignore' });
if ((await new Promise((resolve) => gen.once('exit', resolve))) !== 0) throw new Error('gen failed');
const target = spawn(
  process.execPath,
  [CLI, 'serve', '--mode', 'optional', '--pki', join(targetDir, 'pki')],
  {
    stdio: ['ignore', 'pipe', 'ignore'],
  },
);
const url = await new Promise<string>((resolve, reject) => {
  target.stdout.setEncoding('utf8');
  target.stdout.once('data', (chunk: string) => resolve(chunk.split('\n')[0]!));
  target.once('exit', () => reject(new Error('the probe target did not start')));
});
target.stdout.resume();
const targetAddress = new URL(url).host;

const commands: { name: string; args: string[]; okCodes: number[] }[] = [
  { name: 'gen --key-type rsa-4096', args: ['gen', '--key-type', 'rsa-4096', '--out', 'pki'], okCodes: [0] },
  { name: 'matrix', args: ['matrix', '--format', 'json'], okCodes: [0] },
  {
    name: 'matrix --engine openssl',
    args: ['matrix', '--engine', 'openssl', '--format', 'json'],
    okCodes: [0],
  },
  { name: 'serve', args: ['serve', '--mode', 'on'], okCodes: [0] },
  {
    name: 'probe',
    args: ['probe', targetAddress, '--server-ca', join(targetDir, 'pki', 'ca', 'root.crt'), '--json'],
    okCodes: [0, 1],
  },
];
const signals: Signal[] = ['SIGINT', 'SIGTERM', 'SIGTERM twice'];
const allExitMs: number[] = [];
let interrupts = 0;
try {
  for (const command of commands) {
    // How long the command runs when left alone (serve: until it serves, and as long again).
    const calibration = await runCli(command.args, command.name === 'serve' ? 4_000 : undefined, 'SIGINT');
    check(`${command.name} (uninterrupted)`, calibration, [...command.okCodes, 130]);
    const span = command.name === 'serve' ? 4_000 : calibration.ms;
    const exitMs: number[] = [];
    let finishedFirst = 0;
    for (let attempt = 0; exitMs.length < INTERRUPTS && attempt < 3 * INTERRUPTS && !stopping; attempt++) {
      const signal = signals[attempt % signals.length]!;
      const at = Math.random() * span;
      // A relative --out lands in the run's own folder, so a half-written PKI counts as left over.
      const outcome = await runCli(command.args, at, signal);
      const interrupted = outcome.exitMs !== undefined && !(outcome.code === 0 && command.name !== 'serve');
      check(`${command.name} ${signal} at ${fmt(at)}`, outcome, [...command.okCodes, 130, 143]);
      if (interrupted && outcome.exitMs !== undefined) exitMs.push(outcome.exitMs);
      else finishedFirst++;
    }
    interrupts += exitMs.length;
    allExitMs.push(...exitMs);
    console.log(
      `${command.name}: ${exitMs.length} interrupts (${finishedFirst} runs finished before their signal), ` +
        `exit after the signal: median ${fmt(median(exitMs))}, max ${fmt(max(exitMs))}; alone it takes ${fmt(calibration.ms)}`,
    );
  }
} finally {
  target.kill('SIGINT');
  await new Promise((resolve) => target.once('exit', resolve));
  await rm(targetDir, { recursive: true, force: true });
}

const minutes = ((performance.now() - soakStarted) / 60_000).toFixed(1);
console.log(
  `\n${runs} runs, ${interrupts} interrupts, exit after a signal: median ${fmt(median(allExitMs))}, ` +
    `max ${fmt(max(allExitMs))}; leftovers and failures found: ${problems.length}; ${minutes} min`,
);
for (const problem of problems) console.log(`  - ${problem}`);
process.exitCode = problems.length === 0 ? 0 : 1;
