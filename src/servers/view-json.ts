/**
 * A server's view as JSON (snake_case, like every document mtls-lab prints): the body of
 * every answer of the built-in servers (schemas/server-view.v1.json), and each `server_view`
 * of the matrix report.
 */
import type { ServerView } from './types.js';

export const SERVER_VIEW_VERSION = 1;

/** The view's fields; every key is always there, null when it does not apply. */
export function viewJson(view: ServerView) {
  return {
    connection: view.connection,
    remote_port: view.remotePort,
    remote_address: view.remoteAddress ?? null,
    accepted_at: view.acceptedAt,
    mode: view.mode,
    tls_version: view.tlsVersion,
    alpn: view.alpn,
    protocol: view.protocol,
    presented: view.presented,
    subject: view.subject ?? null,
    fingerprint: view.fingerprint ?? null,
    uri: view.uri ?? null,
    verified: view.verified,
    verify_error: view.verifyError,
    decision: view.decision,
    stage: view.stage,
    reason: view.reason,
    route: view.route ?? null,
  };
}

/** What a server answers a client with: the view of the connection the request came on. */
export function viewDocument(view: ServerView) {
  return { version: SERVER_VIEW_VERSION, ...viewJson(view) };
}
