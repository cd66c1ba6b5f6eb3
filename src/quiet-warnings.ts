/**
 * grpc-js passes an IP-address target to tls.connect as the TLS servername, and Node then
 * prints DEP0123 ("Setting the TLS ServerName to an IP address...") once per thread. Node
 * itself sends no SNI for IP addresses, so nothing on the wire changes; the warning is only
 * noise in a tool whose servers all live on 127.0.0.1. Every other warning still prints.
 */
const emitWarning = process.emitWarning.bind(process);

process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  const code =
    typeof rest[0] === 'object' && rest[0] !== null ? (rest[0] as { code?: string }).code : rest[1];
  if (code === 'DEP0123') return;
  (emitWarning as (...args: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;
