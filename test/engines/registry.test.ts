/** The engine tables are whole: every mode mapped or refused with a reason, every deviation reasoned. */
import { describe, expect, it } from 'vitest';
import { DRIVERS, ENGINES } from '../../src/engines/registry.js';
import { type EngineDriver, inexpressible } from '../../src/engines/types.js';
import { MODES } from '../../src/modes.js';
import { PROTOCOLS } from '../../src/servers/types.js';

describe.each(DRIVERS.map((driver): [string, EngineDriver] => [driver.name, driver]))(
  'engine %s',
  (name, driver) => {
    it('maps every mode to a setting, or says why it cannot', () => {
      for (const mode of MODES) {
        const support = driver.modes[mode];
        expect('setting' in support ? support.setting : inexpressible(support), mode).toMatch(/\S{3,}/);
      }
      expect(MODES.some((mode) => inexpressible(driver.modes[mode]) === undefined)).toBe(true);
    });

    it('serves https, and says why for every protocol it does not serve', () => {
      expect(driver.protocols.https).toBe(true);
      for (const protocol of PROTOCOLS)
        expect(driver.protocols[protocol], protocol).toSatisfy((v) => v === true || String(v).length > 10);
    });

    it('names its program and package, and reasons every deviation about modes it expresses', () => {
      if (name !== 'node') expect(driver.program && driver.package).toBeTruthy();
      for (const deviation of driver.deviations) {
        expect(deviation.reason.length).toBeGreaterThan(20);
        expect(deviation.behaves ?? deviation.refusedBy).toBeDefined();
        for (const mode of deviation.modes ?? []) expect(inexpressible(driver.modes[mode])).toBeUndefined();
      }
    });
  },
);

it('lists the engines in the registry order, each once', () => {
  expect(ENGINES).toEqual(['node', 'openssl', 'nginx', 'caddy', 'haproxy', 'apache', 'jvm', 'go']);
});
