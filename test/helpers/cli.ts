/** Running the built binary (`npm test` builds dist/ first). */
import { execa, type Result } from 'execa';

export function mtlsLab(args: string[], options: { env?: Record<string, string> } = {}): Promise<Result> {
  return execa('node', ['bin/mtls-lab.js', ...args], {
    reject: false,
    timeout: 60_000,
    env: { NO_COLOR: '1', ...options.env },
  });
}
