/**
 * JUnit that CI systems read without surprises, on real runs of the shipped scenarios where
 * names used to collide (servers of one mode on two engines; routes sharing modes): unique
 * (classname, name) pairs, suite times that are the sum of their cases and a run time that is
 * the sum of its suites, and the run's properties on every suite. Every server (and route)
 * of each scenario runs, which is where the names collided; two identities over one protocol
 * and one TLS version give each suite several cases to add up.
 */
import { describe, expect, it } from 'vitest';
import { matrixCommand } from '../../src/commands/matrix.js';
import { renderJunit } from '../../src/report/junit.js';

const attribute = (tag: string, name: string): string =>
  new RegExp(` ${name}="([^"]*)"`).exec(tag)?.[1] ?? '';
const thousandths = (text: string): number => Math.round(Number(text) * 1000);

describe.each([
  { scenario: 'openssl-vs-node', protocol: 'tls' as const },
  { scenario: 'runway-per-route', protocol: 'https' as const },
])('JUnit of $scenario', ({ scenario, protocol }) => {
  it('has unique (classname, name) pairs and times that add up', { timeout: 60_000 }, async () => {
    const result = await matrixCommand({
      scenario,
      keyType: 'ecdsa-p256',
      filters: { identities: ['none', 'valid'], protocols: [protocol], tls: ['1.3'] },
      concurrency: 16,
      timeoutMs: 8000,
    });
    const xml = renderJunit(result);
    const cases = [...xml.matchAll(/<testcase [^>]*>/g)].map(([tag]) => tag);
    expect(cases).toHaveLength(result.cells.length);
    const pairs = cases.map((tag) => `${attribute(tag, 'classname')}\n${attribute(tag, 'name')}`);
    expect(new Set(pairs).size).toBe(pairs.length);

    const suites = [...xml.matchAll(/<testsuite [^>]*>([\s\S]*?)<\/testsuite>/g)];
    expect(suites.length).toBeGreaterThan(1);
    let sum = 0;
    for (const [whole, inner] of suites) {
      const time = thousandths(attribute(whole, 'time'));
      const caseTimes = [...inner!.matchAll(/<testcase [^>]*>/g)].map(([tag]) =>
        thousandths(attribute(tag, 'time')),
      );
      expect(time).toBe(caseTimes.reduce((a, b) => a + b, 0));
      expect(inner).toMatch(/<property name="scenario" value="[^"]+"\/>/);
      sum += time;
    }
    const root = /<testsuites [^>]*>/.exec(xml)![0];
    expect(thousandths(attribute(root, 'time'))).toBe(sum);
  });
});
