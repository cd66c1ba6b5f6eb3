/**
 * Escaping for the HTML report. Markup is built with the `html` template tag, which escapes
 * every interpolated value unless it is already markup (SafeHtml): escaping is the default,
 * so an identity name, subject, URL or error message can never become markup or script.
 */

/** Markup that is safe to insert as is: built by `html`, never from raw user text. */
export class SafeHtml {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * Characters that would be invisible or misleading on the page: C0/C1 controls (but tab and
 * newline, which pre-wrapped detail keeps), DEL, and the bidirectional overrides that could make
 * a hostile name read as something else. They are shown as a visible \u escape instead.
 */
const HIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

const visible = (char: string): string => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** Plain text as HTML text or attribute value. */
export function escapeText(text: string): string {
  return text.replace(HIDDEN, visible).replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.markup;
  if (Array.isArray(value)) return (value as readonly HtmlValue[]).map(render).join('');
  return escapeText(String(value));
}

/**
 * The literal parts of a template without the indentation source formatting gives them: the
 * page stays small, and HTML treats a newline like the spaces it replaces.
 */
const compact = new WeakMap<TemplateStringsArray, string[]>();
function literals(strings: TemplateStringsArray): string[] {
  let parts = compact.get(strings);
  if (!parts) {
    parts = strings.map((part) => part.replace(/\n\s+/g, '\n'));
    compact.set(strings, parts);
  }
  return parts;
}

/** html`<p>${text}</p>`: interpolations are escaped; arrays are joined; null/undefined/false are dropped. */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  const parts = literals(strings);
  let markup = parts[0] ?? '';
  values.forEach((value, i) => {
    markup += render(value) + (parts[i + 1] ?? '');
  });
  return new SafeHtml(markup);
}

/** A long name_with_underscores that may break after each underscore, not in mid-word. */
export const breakable = (name: string): SafeHtml => new SafeHtml(escapeText(name).replace(/_/g, '_<wbr>'));

/** Trusted constant markup (the style sheet): never pass user text. */
export const trusted = (markup: string): SafeHtml => new SafeHtml(markup);
