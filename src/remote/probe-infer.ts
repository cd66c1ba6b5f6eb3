/**
 * `probe`'s reasoning, pure: from what a server did with each identity over raw TLS and HTTP
 * (no certificate, self-signed, untrusted CA, expired, not yet valid, wrong EKU, and with a
 * trusted PKI a valid one and its variants), and whether it sent a CertificateRequest, which
 * behaviour (mode, plus the failures it forgives) it implements, its class, and how sure that is.
 */
import type { ClientResult } from '../clients/types.js';
import { type JudgeContext, judge, type Verdict } from '../judge/judge.js';
import { type Behaviour, describeBehaviour, MODE_PROMISES } from '../modes.js';
import type { IdentityTraits } from '../pki/types.js';
import type { Protocol, TlsVersion } from '../servers/types.js';
import { type CertificateRequestCheck, describeCertificateRequest } from './certificate-request.js';
import { targetExpectation, verifiesAtStatedTrust } from './expect.js';
import {
  bestFits,
  CANDIDATES,
  certificateRequestRow,
  classOfMode,
  describeFit,
  type FitRow,
  fitBehaviours,
  type ModeClass,
  sharedClass,
} from './infer.js';

export type Confidence = 'certain' | 'likely' | 'cannot tell';

export interface ProbeAttempt {
  identity: string;
  protocol: Protocol;
  tls: TlsVersion;
  verdict: Verdict;
  /** Where and how, in a few words: "alert certificate_required in the handshake", "HTTP 200". */
  how: string;
  /** A rejection by the application (an HTTP status) rather than by TLS. */
  byApplication: boolean;
}

export interface ProbeEvidence {
  identities: readonly { name: string; traits: IdentityTraits }[];
  attempts: readonly ProbeAttempt[];
  certificateRequest: CertificateRequestCheck;
  /** The server trusts the PKI the identities come from (else every leaf is untrusted there). */
  pkiTrusted?: boolean;
}

export interface ProbeInference {
  behaviour: Behaviour | null;
  class: ModeClass | null;
  confidence: Confidence;
  evidence: string[];
  notes: string[];
}

const LABELS: Record<string, string> = {
  none: 'no certificate',
  'self-signed': 'a self-signed certificate',
  'untrusted-ca': 'a certificate from an untrusted CA',
  expired: 'an expired certificate',
  'not-yet-valid': 'a certificate that is not yet valid',
  'wrong-eku': 'a certificate without clientAuth EKU',
  valid: "a valid certificate from the PKI's client CA",
  'chain-no-intermediate': 'a leaf sent without its intermediate',
  revoked: 'a revoked certificate',
};

/** The standard identities in words; any other is one the user brought (--client-cert). */
const labelOf = (name: string): string => LABELS[name] ?? `your certificate "${name}"`;

export function judgeAttempt(
  result: Pick<ClientResult, 'protocol' | 'handshake' | 'request'>,
  context: JudgeContext,
): Pick<ProbeAttempt, 'verdict' | 'how' | 'byApplication'> {
  const judgement = judge(result, context);
  const how = judgement.why ? `${judgement.how}: ${judgement.why}` : judgement.how;
  return { verdict: judgement.verdict, how, byApplication: judgement.by === 'application' };
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
    line: `${labelOf(name)}: ${verdict === 'unknown' ? 'could not tell' : verdict} — ${how}.`,
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
  const knowledge = { pkiTrusted: input.pkiTrusted ?? true };
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
      label: labelOf(identity.name),
      observed: summary.verdict,
      expected: CANDIDATES.map((b) => targetExpectation(b, identity.traits, knowledge).verdict),
    });
  });
  const cr = input.certificateRequest;
  if (cr.available) rows.push(certificateRequestRow(cr.sent));
  const fits = fitBehaviours(rows);
  const best = bestFits(fits);
  const notes: string[] = [];
  // Identities that verify where the server's trust is known: valid, and the user's own that pass.
  const trusted = summaries.filter(
    (s, i) => s.name === 'valid' || verifiesAtStatedTrust(input.identities[i]!.traits),
  );
  const top = best[0];
  let behaviour: Behaviour | null = null;
  let confidence: Confidence = 'cannot tell';
  const judgedIdentities = rows.filter((row) => row.label !== 'CertificateRequest').length;
  const onlyValidDiffers =
    top !== undefined && top.differences.length > 0 && top.differences.every((d) => d.label === LABELS.valid);
  // Tied best fits of different modes name no mode; tied forgives of one mode name the simplest.
  const tiedModes = [...new Set(best.map((fit) => fit.behaviour.mode))];
  if (
    top &&
    judgedIdentities > 0 &&
    tiedModes.length === 1 &&
    (top.differences.length === 0 || onlyValidDiffers)
  ) {
    behaviour = top.behaviour;
    const verifies = MODE_PROMISES[behaviour.mode].verifies;
    const inconsistent = summaries.some((s) => s.inconsistent);
    // Certain only when every distinguishing observation was made: no other behaviour fits.
    confidence =
      best.length === 1 &&
      top.differences.length === 0 &&
      !inconsistent &&
      (!verifies || trusted.some((s) => s.verdict === 'accepted'))
        ? 'certain'
        : 'likely';
    if (onlyValidDiffers)
      notes.push(
        "The valid certificate was refused: the server does not seem to trust the PKI's client CA (or checks something more).",
      );
    if (best.length > 1 && top.differences.length === 0)
      notes.push(
        `Other behaviours fit as well (${best
          .slice(1, 4)
          .map((fit) => describeBehaviour(fit.behaviour))
          .join('; ')}${best.length > 4 ? '; …' : ''}); the simplest was taken.`,
      );
  }
  const klass = behaviour
    ? classOfMode(behaviour.mode)
    : ((top?.differences.length === 0 && judgedIdentities > 0 ? sharedClass(tiedModes) : null) ??
      directClass(
        summaries.find((s) => s.name === 'none'),
        summaries,
        cr,
      ));
  if (!behaviour && klass) confidence = 'likely';
  const verificationMatters = behaviour
    ? MODE_PROMISES[behaviour.mode].verifies
    : klass === 'optional' || klass === 'required';
  if (trusted.length === 0 && verificationMatters)
    notes.push(
      'No trusted identity was probed (give --pki DIR with the client CA the server trusts): without one the probe ' +
        'can tell the class (not-requested / optional / required) but cannot see a verified certificate accepted.',
    );
  const tiedOnRequest = ['no_client_certs', 'request_client_cert'].every((m) =>
    best.some((fit) => fit.behaviour.mode === m),
  );
  if (!cr.available && tiedOnRequest && judgedIdentities > 0)
    notes.push(
      `Telling no_client_certs from request_client_cert needs the CertificateRequest check: ${cr.reason}.`,
    );
  if (input.attempts.some((a) => a.verdict === 'rejected' && a.byApplication))
    notes.push(
      'Some refusals came from the HTTP application after a completed TLS handshake (as nginx answers 400/495/496).',
    );
  for (const s of summaries.filter((x) => x.inconsistent))
    notes.push(`${labelOf(s.name)} was accepted in some attempts and refused in others; see the evidence.`);
  return {
    behaviour,
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
