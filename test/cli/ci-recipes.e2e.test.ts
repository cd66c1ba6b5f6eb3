/**
 * The CI recipes of the README's "In CI" section, run as written: the YAML is read from the
 * README, its shell commands run through bash with `npx mtls-lab` meaning the built binary,
 * and what the later steps pick up (artifact paths, JUnit report paths, the job summary)
 * must then exist and be what those steps expect.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

describe('CI recipes in the README', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mtls-lab-test-ci-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'GitHub Actions: summary appended, JUnit and HTML where the later steps look',
    { timeout: 150_000 },
    async () => {
      const [github] = (await recipes()) as [GithubWorkflow];
      const steps = Object.values(github.jobs)[0]!.steps;
      const summary = join(dir, 'step-summary.md');
      await writeFile(summary, '## an earlier step\n');
      for (const step of steps) {
        if (step.run) await runStep(step.run, dir, { GITHUB_STEP_SUMMARY: summary });
      }
      const written = await readFile(summary, 'utf8');
      expect(written.startsWith('## an earlier step\n')).toBe(true);
      expect(written).toContain('| identity |');

      const artifact = steps.find((step) => step.uses?.startsWith('actions/upload-artifact'));
      const artifactFile = join(dir, artifact!.with!.path!);
      expect(await readFile(artifactFile, 'utf8')).toMatch(/^<!doctype html>/i);
      const junit = steps.find((step) => step.with?.report_paths);
      await expectValidJunit(join(dir, junit!.with!.report_paths!));
    },
  );

  it('GitLab CI: the JUnit report and the artifacts exist', { timeout: 150_000 }, async () => {
    const [, gitlab] = (await recipes()) as [unknown, Record<string, GitlabJob>];
    const job = Object.values(gitlab)[0]!;
    for (const command of job.script) await runStep(command, dir, {});
    await expectValidJunit(join(dir, job.artifacts.reports.junit));
    for (const path of job.artifacts.paths) expect(existsSync(join(dir, path)), path).toBe(true);
    expect(existsSync(join(dir, 'reports/mtls.html'))).toBe(true);
  });
});
