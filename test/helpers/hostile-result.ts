/**
 * A run whose every outside-supplied text is hostile: identity names with markup, quotes,
 * control characters and a bidi override; subjects, errors, reasons, observations, problems,
 * the target and the scenario's name carrying tags that would load or run something.
 */
import { summarise } from '../../src/matrix/summary.js';
import type { CellResult, MatrixResult } from '../../src/matrix/types.js';
import { sampleResult } from './sample-result.js';

export const HOSTILE_NAME = '<script>alert(1)</script>"\' onmouseover="x';
export const CONTROL_NAME = 'bell\u0007esc\u001b[31mnul\u0000del\u007f rlo\u202eevil';

export function hostileResult(): MatrixResult {
  const names = [HOSTILE_NAME, CONTROL_NAME, '<img src=x onerror=alert(2)>'];
  const cells: CellResult[] = sampleResult().cells.map((cell, i) => ({
    ...cell,
    identity: names[i % names.length] as string,
    server: `</table><iframe src="https://example.invalid/">@tls${cell.tls}`,
    how: `${cell.how} </details><script>alert(3)</script>`,
    expected: { ...cell.expected, reason: '<style>body{display:none}</style>' },
    ...(cell.why ? { why: '<a href="javascript:alert(4)">why</a>' } : {}),
    handshake: { ...cell.handshake, detail: '"><svg onload=alert(5)>\nsecond line' },
    serverViews: cell.serverViews.map((view) => ({
      ...view,
      subject: 'CN=<b>bold</b>, O="quoted" & \'single\'',
      reason: '<link rel="stylesheet" href="https://example.invalid/x.css">',
    })),
  }));
  return {
    ...sampleResult(),
    cells,
    summary: summarise(cells, 1234),
    observations: ['<meta http-equiv="refresh" content="0;url=https://example.invalid/">'],
    problems: ['<object data="https://example.invalid/"></object>'],
    scenario: '<base href="https://example.invalid/">',
    target: 'evil.example:443"><script>alert(6)</script>',
  };
}
