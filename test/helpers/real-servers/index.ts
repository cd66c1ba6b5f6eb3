/**
 * Real third-party TLS servers on 127.0.0.1, configured from a PKI folder written by writePki(),
 * for tests of `mtls-lab matrix --target` and `mtls-lab probe`: nginx, `openssl s_server -www`,
 * a JDK HttpsServer, a grpc-js server and a Go crypto/tls server. Each start function resolves
 * once the server accepts connections; close() kills it and removes what it wrote.
 */
export { GO_CLIENT_AUTH, goLabel, startGoTls, type StartGoTlsOptions } from './go.js';
export { ECHO_METHOD, grpcJsLabel, startGrpcJs, type StartGrpcJsOptions } from './grpc-js.js';
export { type JdkClientAuth, jdkLabel, startJdkHttps, type StartJdkHttpsOptions } from './jdk.js';
export { missing } from './missing.js';
export { nginxConfig, nginxLabel, type NginxVerify, startNginx, type StartNginxOptions } from './nginx.js';
export { opensslWwwLabel, startOpensslWww, type StartOpensslWwwOptions } from './openssl-www.js';
export { tcpConnects } from './net.js';
export {
  REAL_SERVER_KINDS,
  type RealServer,
  type RealServerKind,
  type TlsChoice,
  tlsLabel,
} from './types.js';
