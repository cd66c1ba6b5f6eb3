/** `mtls-lab scenarios`: the shipped files, one line each, as text and as JSON. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.js';
import { displayPath, scenariosCommand } from '../../src/commands/scenarios.js';
import { InputError } from '../../src/errors.js';
import { memoryOutput } from '../../src/output.js';
import { findShippedScenario, SHIPPED_SCENARIOS_DIR } from '../../src/scenario/shipped.js';
import { parseValid } from '../helpers/json-schema.js';

describe('mtls-lab scenarios', () => {
  it('lists every shipped scenario with its description and the command that runs it', async () => {
    const io = memoryOutput();
    expect(await main(['scenarios'], io)).toBe(0);
    const lines = io.stdoutText().trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(/^akka-grpc-mtls +Akka gRPC's mTLS sample with PKCS#12 keystores/);
    expect(lines[1]?.trim()).toBe('mtls-lab matrix scenarios/akka-grpc-mtls.yaml');
    expect(lines[2]).toMatch(/^nginx-modes +nginx's ssl_verify_client values/);
    expect(lines[4]).toMatch(/^openssl-vs-node +the same client-auth modes on the built-in Node server/);
    expect(lines[6]).toMatch(/^roadrunner-client-auth +RoadRunner's five client_auth_type modes/);
    expect(lines[8]).toMatch(/^runway-per-route +Runway's per-route client mTLS/);
    expect(lines[9]?.trim()).toBe('mtls-lab matrix scenarios/runway-per-route.yaml');
    expect(io.stderrText()).toBe('');
  });

  it('prints JSON with --json', async () => {
    const io = memoryOutput();
    expect(await main(['scenarios', '--json'], io)).toBe(0);
    const listed = parseValid<{ scenarios: { file: string; name: string; description: string }[] }>(
      'scenarios',
      io.stdoutText(),
    ).scenarios;
    expect(listed.map((s) => s.name)).toEqual([
      'akka-grpc-mtls',
      'nginx-modes',
      'openssl-vs-node',
      'roadrunner-client-auth',
      'runway-per-route',
    ]);
    expect(listed.map((s) => s.file)).toEqual(
      listed.map((s) => join(SHIPPED_SCENARIOS_DIR, `${s.name}.yaml`)),
    );
  });

  it('finds a shipped scenario by name or file name', async () => {
    expect((await findShippedScenario('nginx-modes'))?.file).toBe(
      join(SHIPPED_SCENARIOS_DIR, 'nginx-modes.yaml'),
    );
    expect((await findShippedScenario('akka-grpc-mtls.yaml'))?.name).toBe('akka-grpc-mtls');
    expect(await findShippedScenario('nope')).toBeUndefined();
  });

  it('shows paths outside the current folder as absolute', () => {
    expect(displayPath('/elsewhere/x.yaml', '/work/project')).toBe('/elsewhere/x.yaml');
    expect(displayPath('/work/project/scenarios/x.yaml', '/work/project')).toBe('scenarios/x.yaml');
  });

  it('refuses, naming the line, when a scenario in the folder is broken', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mtls-lab-scenario-test-'));
    try {
      await writeFile(join(dir, 'a.yaml'), 'name: a\ndescription: fine\n');
      await writeFile(join(dir, 'b.yaml'), 'name: b\ndescripton: typo\n');
      const error = await scenariosCommand(dir).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(InputError);
      expect((error as Error).message).toMatch(
        /b\.yaml:2:1: descripton: unknown field; did you mean "description"\?/,
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
