/** Scenario files: the format (schema.ts), loading with line:column errors, and their PKI. */
export { scenarioOverride } from './expectations.js';
export { loadScenario } from './load.js';
export { type PreparedPki, preparePki } from './pki.js';
export { scenarioIdentities, scenarioPlanInput } from './plan.js';
export { findShippedScenario, listShippedScenarios, type ShippedScenario } from './shipped.js';
export type { Scenario, ScenarioExpectation, ScenarioPki } from './types.js';
export type { ScenarioTarget, ScenarioTargetRoute } from './target.js';
