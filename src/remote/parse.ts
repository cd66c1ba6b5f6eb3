/**
 * Reading a target the user names on the command line: `https://host:port`, `host:port`,
 * `[::1]:port` or a bare `host` (port 443). Anything else is a UsageError that quotes the value.
 */
import { isIP } from 'node:net';
import { UsageError } from '../errors.js';

export interface TargetAddress {
  host: string;
  port: number;
  /** SNI and the name the server's certificate must carry; set when the host is a DNS name. */
  servername?: string;
}

const DEFAULT_PORT = 443;
/** Schemes whose meaning is "TLS on this port"; the clients choose the protocol on top. */
const SCHEMES = new Set(['https:', 'tls:', 'grpcs:']);
const HOST_NAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;

function fail(text: string, what: string, why: string): never {
  throw new UsageError(
    `${what}: cannot use "${text}": ${why}. Expected https://HOST:PORT, HOST:PORT, [IPv6]:PORT or HOST.`,
  );
}

function parsePort(value: string, text: string, what: string): number {
  const port = Number(value);
  if (!/^\d{1,5}$/.test(value) || port < 1 || port > 65535)
    fail(text, what, `"${value}" is not a port (1 to 65535)`);
  return port;
}

function checkHost(host: string, text: string, what: string): string {
  if (host === '') fail(text, what, 'no host');
  if (isIP(host) === 0 && !HOST_NAME.test(host))
    fail(text, what, `"${host}" is not a host name or IP address`);
  return host;
}

function address(host: string, port: number): TargetAddress {
  return isIP(host) === 0 ? { host, port, servername: host.replace(/\.$/, '') } : { host, port };
}

function parseUrl(text: string, what: string): TargetAddress {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    fail(text, what, 'not a valid URL');
  }
  if (!SCHEMES.has(url.protocol))
    fail(text, what, `scheme "${url.protocol.slice(0, -1)}" is not one of https, tls, grpcs`);
  if (url.username || url.password) fail(text, what, 'credentials in the URL are not supported');
  if ((url.pathname !== '' && url.pathname !== '/') || url.search || url.hash)
    fail(text, what, 'a path or query is not supported (the HTTP clients always request /)');
  // URL keeps the brackets of an IPv6 literal.
  const host = checkHost(url.hostname.replace(/^\[(.*)\]$/, '$1'), text, what);
  const port = url.port === '' ? DEFAULT_PORT : parsePort(url.port, text, what);
  return address(host, port);
}

/** `what` names the option or argument in error messages. */
export function parseTarget(text: string, what = '--target'): TargetAddress {
  const value = text.trim();
  if (value === '') fail(text, what, 'the value is empty');
  if (value.includes('://')) return parseUrl(value, what);
  const bracketed = /^\[([^\]]*)\](?::(.*))?$/.exec(value);
  if (bracketed) {
    const host = bracketed[1] ?? '';
    if (isIP(host) !== 6) fail(text, what, `"${host}" in brackets is not an IPv6 address`);
    return address(host, bracketed[2] === undefined ? DEFAULT_PORT : parsePort(bracketed[2], text, what));
  }
  // A bare IPv6 address has colons of its own; its port needs the brackets.
  if (isIP(value) === 6) return address(value, DEFAULT_PORT);
  const colon = value.lastIndexOf(':');
  if (colon < 0) return address(checkHost(value, text, what), DEFAULT_PORT);
  const host = checkHost(value.slice(0, colon), text, what);
  return address(host, parsePort(value.slice(colon + 1), text, what));
}

/** host:port as people write it, with brackets around an IPv6 address. */
export function formatTarget(target: Pick<TargetAddress, 'host' | 'port'>): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}
