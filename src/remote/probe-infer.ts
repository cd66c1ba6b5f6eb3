/**
 * `probe`'s reasoning, pure: from what a server did with each identity (no certificate,
 * self-signed, untrusted CA, and a valid one when the PKI is given) over raw TLS and HTTPS,
 * and whether it sent a CertificateRequest, which of the five modes it implements, its class,
 * and how sure that is.
 */
import type { ClientResult } from '../clients/types.js';
import { rejectionPlace } from '../matrix/observations.js';
import { expectCell } from '../matrix/oracle.js';
import { MODE_PROMISES, MODES, type Mode } from '../modes.js';
import type { IdentityTraits } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { interpretTargetRequest } from './answer.js';
import { type CertificateRequestCheck, describeCertificateRequest } from './certificate-request.js';
import {
  bestFits,
  certificateRequestRow,
  classOfMode,
  describeFit,
  type FitRow,
  fitModes,
  type ModeClass,
} from './infer.js';

export type Confidence = 'certain' | 'likely' | 'cannot tell';
export type AttemptVerdict = 'accepted' | 'rejected' | 'inconclusive';

export interface ProbeAttempt {
  identity: string;
  protocol: Protocol;
  tls: TlsVersion;
  verdict: AttemptVerdict;
  /** Where and how, in a few words: "alert certificate_required in the handshake", "HTTP 200". */
  how: string;
  /** A rejection by the application (an HTTP status) rather than by TLS. */
  byApplication: boolean;
}

export interface ProbeEvidence {
  identities: readonly { name: string; traits: IdentityTraits }[];
  attempts: readonly ProbeAttempt[];
  certificateRequest: CertificateRequestCheck;
}

export interface ProbeInference {
  mode: Mode | null;
  class: ModeClass | null;
  confidence: Confidence;
  evidence: string[];
  notes: string[];
}

const LABELS: Record<string, string> = {
  none: 'no certificate',
  'self-signed': 'a self-signed certificate',
  'untrusted-ca': 'a certificate from an untrusted CA',
  valid: "a valid certificate from the PKI's client CA",
};

export function judgeAttempt(
  result: Pick<ClientResult, 'protocol' | 'handshake' | 'request'>,
): Pick<ProbeAttempt, 'verdict' | 'how' | 'byApplication'> {
  const request = interpretTargetRequest(result);
  const { handshake } = result;
  const how = rejectionPlace({ handshake, request });
  if (handshake.kind === 'alert' || handshake.kind === 'closed')
    return { verdict: 'rejected', how, byApplication: false };
  if (handshake.kind !== 'ok') return { verdict: 'inconclusive', how, byApplication: false };
  if (request.kind === 'ok')
    return { verdict: 'accepted', how: request.status ?? 'answered', byApplication: false };
  if (request.kind === 'refused' || request.kind === 'alert' || request.kind === 'closed')
    return { verdict: 'rejected', how, byApplication: request.kind === 'refused' };
  return { verdict: 'inconclusive', how, byApplication: false };
}

interface IdentitySummary {
  name: string;
  verdict: 'accepted' | 'rejected' | 'unknown';
  line: string;
  /** Accepted somewhere and rejected elsewhere, beyond the usual "only HTTP refuses" pattern. */
  inconsistent: boolean;
  /** Raw TLS got through but the HTTP application refused (nginx's way). */
  applicationOnly: boolean;
}

function summariseIdentity(name: string, attempts: readonly ProbeAttempt[]): IdentitySummary {
  const conclusive = attempts.filter((a) => a.verdict !== 'inconclusive');
  const rejected = conclusive.filter((a) => a.verdict === 'rejected');
  const verdict = conclusive.length === 0 ? 'unknown' : rejected.length > 0 ? 'rejected' : 'accepted';
  const groups = new Map<string, string[]>();
  for (const a of attempts) {
    const key = a.verdict === 'inconclusive' ? `inconclusive: ${a.how}` : a.how;
    groups.set(key, [...(groups.get(key) ?? []), `${a.protocol} TLS ${a.tls}`]);
  }
  const how = [...groups].map(([what, where]) => `${what} (${where.join(', ')})`).join('; ');
  const mixed = rejected.length > 0 && rejected.length < conclusive.length;
  const applicationOnly = mixed && rejected.every((a) => a.byApplication);
  return {
    name,
    verdict,
    line: `${LABELS[name] ?? name}: ${verdict === 'unknown' ? 'could not tell' : verdict} — ${how}.`,
    inconsistent: mixed && !applicationOnly,
    applicationOnly,
  };
}

/** The class from direct evidence alone: is "no certificate" refused, does the server ask? */
function directClass(
  none: IdentitySummary | undefined,
  others: readonly IdentitySummary[],
  cr: CertificateRequestCheck,
): ModeClass | null {
  if (none?.verdict === 'rejected') return 'required';
  if (none?.verdict !== 'accepted') return null;
  if (cr.available) return cr.sent ? 'optional' : 'not-requested';
  // Refusing a certificate it never asked for would be odd: a refusal implies a request.
  return others.some((s) => s.verdict === 'rejected') ? 'optional' : null;
}

export function inferProbe(input: ProbeEvidence): ProbeInference {
  const summaries = input.identities.map((identity) =>
    summariseIdentity(
      identity.name,
      input.attempts.filter((a) => a.identity === identity.name),
    ),
  );
  const rows: FitRow[] = [];
  input.identities.forEach((identity, i) => {
    const summary = summaries[i]!;
    if (summary.verdict === 'unknown') return;
    rows.push({
      label: LABELS[identity.name] ?? identity.name,
      observed: summary.verdict,
      expected: Object.fromEntries(
        MODES.map((mode) => [mode, expectCell(mode, identity.traits, { checksCrl: true }).verdict]),
      ) as Record<Mode, string>,
    });
  });
  const cr = input.certificateRequest;
  if (cr.available) {
    rows.push(certificateRequestRow(cr.sent));
  }
  const fits = fitModes(rows);
  const best = bestFits(fits);
  const notes: string[] = [];
  const valid = summaries.find((s) => s.name === 'valid');
  let mode: Mode | null = null;
  let confidence: Confidence = 'cannot tell';
  const onlyValidDiffers = best.length === 1 && best[0]!.differences.every((d) => d.label === LABELS.valid);
  if (best.length === 1 && (best[0]!.differences.length === 0 || onlyValidDiffers)) {
    mode = best[0]!.mode;
    const verifies = MODE_PROMISES[mode].verifies;
    const inconsistent = summaries.some((s) => s.inconsistent);
    confidence =
      best[0]!.differences.length === 0 && !inconsistent && (!verifies || valid?.verdict === 'accepted')
        ? 'certain'
        : 'likely';
    if (onlyValidDiffers && best[0]!.differences.length > 0)
      notes.push(
        "The valid certificate was refused: the server does not seem to trust the PKI's client CA (or checks something more).",
      );
  }
  const klass = mode
    ? classOfMode(mode)
    : directClass(
        summaries.find((s) => s.name === 'none'),
        summaries,
        cr,
      );
  if (!mode && klass) confidence = 'likely';
  const verificationMatters = mode
    ? MODE_PROMISES[mode].verifies
    : klass === 'optional' || klass === 'required';
  if (!valid && verificationMatters) {
    notes.push(
      'No trusted identity was probed (give --pki DIR with the client CA the server trusts): without one the probe ' +
        'can tell the class (not-requested / optional / required) but cannot see a verified certificate accepted.',
    );
  }
  const tiedOnRequest = ['no_client_certs', 'request_client_cert'].every((m) =>
    best.some((fit) => fit.mode === m),
  );
  if (!cr.available && !mode && tiedOnRequest)
    notes.push(
      `Telling no_client_certs from request_client_cert needs the CertificateRequest check: ${cr.reason}.`,
    );
  if (summaries.some((s) => s.applicationOnly))
    notes.push(
      'Some refusals came from the HTTP application after a completed TLS handshake (as nginx answers 400/495/496).',
    );
  for (const s of summaries.filter((x) => x.inconsistent))
    notes.push(
      `${LABELS[s.name] ?? s.name} was accepted in some attempts and refused in others; see the evidence.`,
    );
  return {
    mode,
    class: klass,
    confidence,
    evidence: [
      ...summaries.map((s) => s.line),
      describeCertificateRequest(cr),
      describeFit(rows, fits, 'observation'),
    ],
    notes,
  };
}
