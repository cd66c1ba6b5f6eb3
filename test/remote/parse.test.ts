import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { formatTarget, parseTarget } from '../../src/remote/parse.js';

describe('parseTarget', () => {
  it.each([
    ['https://127.0.0.1:8443', { host: '127.0.0.1', port: 8443 }],
    ['https://localhost', { host: 'localhost', port: 443, servername: 'localhost' }],
    ['https://[::1]:9443/', { host: '::1', port: 9443 }],
    ['tls://api.example.test:5001', { host: 'api.example.test', port: 5001, servername: 'api.example.test' }],
    ['127.0.0.1:8443', { host: '127.0.0.1', port: 8443 }],
    ['[::1]:8443', { host: '::1', port: 8443 }],
    ['[::1]', { host: '::1', port: 443 }],
    ['::1', { host: '::1', port: 443 }],
    ['localhost', { host: 'localhost', port: 443, servername: 'localhost' }],
    ['  gateway.internal:65535 ', { host: 'gateway.internal', port: 65535, servername: 'gateway.internal' }],
  ])('reads %s', (text, expected) => {
    expect(parseTarget(text)).toEqual(expected);
  });

  it.each([
    ['', /the value is empty/],
    ['   ', /the value is empty/],
    ['http://127.0.0.1:8080', /scheme "http" is not one of https, tls, grpcs/],
    ['ftp://host', /scheme "ftp"/],
    ['127.0.0.1:0', /"0" is not a port/],
    ['127.0.0.1:65536', /"65536" is not a port/],
    ['127.0.0.1:https', /"https" is not a port/],
    ['127.0.0.1:', /"" is not a port/],
    [':8443', /no host/],
    ['[127.0.0.1]:8443', /not an IPv6 address/],
    ['[::1]:x', /"x" is not a port/],
    ['bad host:443', /"bad host" is not a host name/],
    ['https://user:pw@host:443', /credentials/],
    ['https://host:443/health', /path or query/],
    ['https://', /not a valid URL/],
  ])('refuses %j with a UsageError that quotes it', (text, why) => {
    let error: unknown;
    try {
      parseTarget(text, '--target');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain(`--target: cannot use "${text}"`);
    expect((error as Error).message).toMatch(why);
  });

  it('formats IPv6 targets with brackets', () => {
    expect(formatTarget({ host: '::1', port: 8443 })).toBe('[::1]:8443');
    expect(formatTarget({ host: '127.0.0.1', port: 8443 })).toBe('127.0.0.1:8443');
  });
});
