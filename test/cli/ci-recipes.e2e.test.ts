/**
 * The CI recipes of the README's "In CI" section, run as written: the YAML is read from the
 * README, its shell commands run through bash with `npx mtls-lab` meaning the built binary,
 * and what the later steps pick up (artifact paths, JUnit report paths, the job summary)
 * must then exist and be what those steps expect. Both recipes' matrix command is one command
 * once bash has expanded it, so one run (a whole default matrix) stands for both.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { validateJunit, xmllintMissing } from '../helpers/junit-schema.js';

const BINARY = resolve('bin/mtls-lab.js');

/** The YAML blocks of the README section headed "## In CI". */
async function recipes(): Promise<unknown[]> {
  const readme = await readFile('README.md', 'utf8');
  const section = /^## In CI\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map(([, yaml]) => parse(yaml!) as unknown);
}

/** Runs one recipe command in `cwd`; `npm ci` is the install, which the suite has done. */
async function runStep(command: string, cwd: string, env: Record<string, string>) {
  if (command.trim() === 'npm ci') return;
  expect(command).toMatch(/^npx mtls-lab /);
  const script = command.replace(/^npx mtls-lab /, `node ${JSON.stringify(BINARY)} `);
  const run = await execa('bash', ['-c', script], {
    cwd,
    env: { NO_COLOR: '1', ...env },
    reject: false,
    timeout: 120_000,
  });
  expect(run.exitCode, `${command}\n${run.stderr}`).toBe(0);
}

async function expectValidJunit(file: string): Promise<void> {
  expect(existsSync(file), file).toBe(true);
  expect(await readFile(file, 'utf8')).toContain('<testsuites');
  if (await xmllintMissing()) return;
  const { ok, output } = await validateJunit(file);
  expect(ok, output).toBe(true);
}

interface GithubStep {
  run?: string;
  uses?: string;
  with?: Record<string, string>;
}
interface GithubWorkflow {
  jobs: Record<string, { steps: GithubStep[] }>;
}
interface GitlabJob {
  script: string[];
  artifacts: { paths: string[]; reports: { junit: string } };
}

/** The words bash makes of `command` under `env`: the argv the program is given. */
async function words(command: string, env: Record<string, string>): Promise<string[]> {
  const run = await execa('bash', ['-c', `printf '%s\\0' ${command}`], { env, reject: false });
  expect(run.exitCode, `${command}\n${run.stderr}`).toBe(0);
  return run.stdout.split('\0').slice(0, -1);
}

describe('CI recipes in the README', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtls-lab-test-ci-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'GitHub Actions and GitLab CI: their one command leaves the summary, JUnit and HTML where the later steps look',
    { timeout: 150_000 },
    async () => {
      const [github, gitlab] = (await recipes()) as [GithubWorkflow, Record<string, GitlabJob>];
      const steps = Object.values(github.jobs)[0]!.steps;
      const job = Object.values(gitlab)[0]!;
      // The recipes differ only in where the Markdown goes: GitHub's $GITHUB_STEP_SUMMARY,
      // GitLab's file. With the summary set to GitLab's file, bash gives both the same words,
      // so one default run is each recipe's command as written (the summary is appended to:
      // test/cli/reports.e2e.test.ts checks that earlier steps' summaries stay).
      const gitlabMarkdown = job.script.join('\n').match(/--report markdown=(\S+)/)?.[1];
      expect(gitlabMarkdown).toBeDefined();
      const env = { GITHUB_STEP_SUMMARY: gitlabMarkdown! };
      const githubRuns = steps.flatMap((step) => (step.run ? [step.run] : []));
      const githubWords = await Promise.all(githubRuns.map((command) => words(command, env)));
      for (const command of job.script) {
        if (command.trim() === 'npm ci') continue;
        expect(githubWords, command).toContainEqual(await words(command, {}));
      }
      for (const command of githubRuns) await runStep(command, dir, env);

      // What GitHub's later steps pick up.
      expect(await readFile(join(dir, env.GITHUB_STEP_SUMMARY), 'utf8')).toContain('| identity |');
      const artifact = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
      expect(await readFile(join(dir, artifact!.with!.path!), 'utf8')).toMatch(/^<!doctype html>/i);
      const junit = steps.find((step) => step.with?.report_paths);
      await expectValidJunit(join(dir, junit!.with!.report_paths!));
      // What GitLab keeps.
      await expectValidJunit(join(dir, job.artifacts.reports.junit));
      for (const path of job.artifacts.paths) expect(existsSync(join(dir, path)), path).toBe(true);
      expect(existsSync(join(dir, 'reports/mtls.html'))).toBe(true);
    },
  );
});
