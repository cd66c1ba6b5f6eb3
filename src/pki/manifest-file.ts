/**
 * manifest.json on disk. Version 2 (written since snake_case became the casing of every JSON
 * document mtls-lab prints) has the model's keys in snake_case; version 1 had them in
 * camelCase. Both are read, so a PKI folder written by an older mtls-lab keeps working with
 * `--pki`. The schema of each is in schemas/manifest.v1.json and schemas/manifest.v2.json.
 */
import { InputError, printable } from '../errors.js';
import { type Manifest, manifestSchema } from './manifest.js';

export const MANIFEST_VERSION = 2;

/** Every version this mtls-lab reads. */
export const READABLE_MANIFEST_VERSIONS: readonly number[] = [1, 2];

const snakeCase = (key: string) => key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
const camelCase = (key: string) => key.replace(/_([a-z0-9])/g, (_, next: string) => next.toUpperCase());

/** Every key of a JSON value renamed; the manifest has no data in its keys, only names. */
function renameKeys(value: unknown, rename: (key: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => renameKeys(item, rename));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [rename(key), renameKeys(inner, rename)]),
  );
}

/** The first key (as a dotted path) that is not snake_case, if any. */
function nonSnakeKey(value: unknown, at: string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const path = [...at, key];
    if (!Array.isArray(value) && /[A-Z]/.test(key)) return path.join('.');
    const found = nonSnakeKey(inner, path);
    if (found) return found;
  }
  return undefined;
}

/** What `gen` writes to manifest.json and prints with --json. */
export function manifestDocument(manifest: Manifest): Record<string, unknown> {
  return { version: MANIFEST_VERSION, ...(renameKeys(manifest, snakeCase) as Record<string, unknown>) };
}

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifestDocument(manifest), null, 2)}\n`;
}

function versionProblem(version: unknown): string {
  const readable = READABLE_MANIFEST_VERSIONS.join(' and ');
  if (version === undefined) return `has no "version" (this mtls-lab reads versions ${readable})`;
  if (typeof version === 'number' && Number.isInteger(version) && version > MANIFEST_VERSION)
    return (
      `is manifest version ${version}, newer than this mtls-lab reads (versions ${readable}); ` +
      'upgrade mtls-lab, or write the PKI again with this one (mtls-lab gen)'
    );
  return `has an unsupported manifest version ${printable(JSON.stringify(version) ?? String(version))} (this mtls-lab reads versions ${readable})`;
}

/** A parsed manifest.json (any readable version) as the model; `path` names it in errors. */
export function parseManifest(json: unknown, path: string): Manifest {
  const where = printable(path);
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new InputError(`${where} is not a JSON object`);
  const { version, ...body } = json as Record<string, unknown>;
  if (!READABLE_MANIFEST_VERSIONS.includes(version as number))
    throw new InputError(`${where} ${versionProblem(version)}`);
  let model: unknown = body;
  if (version === 2) {
    const camel = nonSnakeKey(body);
    if (camel) throw new InputError(`${where}: field "${printable(camel)}": version 2 keys are snake_case`);
    model = renameKeys(body, camelCase);
  }
  const parsed = manifestSchema.safeParse(model);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  // Named as the file spells it.
  const field = (issue?.path ?? [])
    .map((part) => (version === 2 && typeof part === 'string' ? snakeCase(part) : String(part)))
    .join('.');
  throw new InputError(`${where}: field "${printable(field || '?')}": ${issue?.message ?? 'invalid'}`);
}
