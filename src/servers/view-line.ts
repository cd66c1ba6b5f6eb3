/** One line per connection for `mtls-lab serve`: what the server saw and what it decided. */
import type { ChalkInstance } from 'chalk';
import type { ServerView } from './types.js';

const time = (ms: number) => new Date(ms).toISOString().slice(11, 23);

export function renderViewLine(view: ServerView, c: ChalkInstance): string {
  const decision =
    view.decision === 'accepted'
      ? c.green('accepted')
      : c.red(`rejected${view.stage ? ` (${view.stage})` : ''}`);
  const cert = !view.presented
    ? c.dim('no client cert')
    : `${view.subject ?? '?'}${view.uri ? c.dim(` ${view.uri}`) : ''}${
        view.verified === null
          ? c.dim(' (not verified)')
          : view.verified
            ? c.green(' verified')
            : c.red(` ${view.verifyError}`)
      }`;
  const address = view.remoteAddress?.includes(':') ? `[${view.remoteAddress}]` : (view.remoteAddress ?? '');
  return [
    c.dim(time(view.acceptedAt)),
    `#${view.connection}`,
    `${address}:${view.remotePort}`,
    view.tlsVersion ?? c.dim('no-tls'),
    view.protocol ?? view.alpn ?? '-',
    decision,
    cert,
    c.dim(`- ${view.reason}`),
  ].join(' ');
}
