/**
 * The engines' names, apart from their drivers: `--help` and option parsing need the list,
 * and must not load every driver (and with them the PKI and process libraries) to print it.
 * registry.ts checks that its drivers are exactly these, in this order.
 */
export const ENGINES = ['node', 'openssl', 'nginx', 'caddy', 'haproxy', 'apache', 'jvm', 'go'] as const;

export type Engine = (typeof ENGINES)[number];
