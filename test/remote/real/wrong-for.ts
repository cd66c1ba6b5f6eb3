/** For each mode, one whose promise differs from it for the standard identities. */
import type { Mode } from '../../../src/modes.js';
import { behaviour } from './judge-real.js';

const WRONG_MODE: Record<Mode, Mode> = {
  no_client_certs: 'require_any_client_cert',
  request_client_cert: 'verify_client_cert_if_given',
  require_any_client_cert: 'require_and_verify_client_cert',
  verify_client_cert_if_given: 'no_client_certs',
  require_and_verify_client_cert: 'request_client_cert',
};

export const wrongFor = (mode: Mode) => behaviour(WRONG_MODE[mode]);
