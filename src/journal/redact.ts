// Output journaled from a run is pasted into incident reports: secrets that a log line, an
// `env` dump or a `vault status` printed must not travel with it. The journal writer applies
// these to every free-text field, so no caller can forget.
//
// Every pattern is linear (no nested quantifiers over the same characters), so a megabyte of
// output costs linear time.

const REDACTED = '[redacted]';

/** Names whose value is a secret: `password=`, `DB_PASSWORD:`, `"api_key":`, `VAULT_TOKEN=`. */
const SECRET_NAME = String.raw`[A-Za-z0-9_.-]*(?:passw(?:or)?d|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?|auth[_-]?key|session[_-]?key)[A-Za-z0-9_.-]*`;

const REPLACEMENTS: ReadonlyArray<[RegExp, string | ((...groups: string[]) => string)]> = [
  // PEM private keys, whole block; a block cut off by the output bound is redacted to the end.
  [/-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g, (_match, kind) => `-----BEGIN ${kind}PRIVATE KEY----- ${REDACTED}`],
  // HTTP authorization headers and bearer tokens anywhere.
  [/\b(Authorization\s*[:=]\s*(?:(?:Bearer|Basic|Token|Negotiate|Digest)\s+)?)[^\s"',;]+/gi, (_match, prefix) => `${prefix}${REDACTED}`],
  [/\b(Bearer\s+)[A-Za-z0-9._~+/=-]+/g, (_match, prefix) => `${prefix}${REDACTED}`],
  // JSON / YAML quoted values: "secret": "...", 'token': '...'.
  [new RegExp(String.raw`("${SECRET_NAME}"\s*:\s*)"(?:[^"\\]|\\.)*"`, 'gi'), (_match, prefix) => `${prefix}"${REDACTED}"`],
  [new RegExp(String.raw`('${SECRET_NAME}'\s*:\s*)'[^']*'`, 'gi'), (_match, prefix) => `${prefix}'${REDACTED}'`],
  // name=value, name: value, name = "value" (env dumps, URLs' query strings, logfmt, YAML).
  [new RegExp(String.raw`\b(${SECRET_NAME}\s*[:=]\s*)(?:"(?:[^"\\]|\\.)*"|'[^']*'|[^\s&"',;]+)`, 'gi'), (_match, prefix) => `${prefix}${REDACTED}`],
  // Credentials in URLs: scheme://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, (_match, prefix) => `${prefix}${REDACTED}@`],
  // Key formats recognisable on their own: AWS access key ids, GitHub, Slack and Vault tokens, JWTs.
  [/\b(?:AKIA|ASIA|AGPA|AIDA|AROA)[0-9A-Z]{16}\b/g, REDACTED],
  [/\bgh[pousr]_[A-Za-z0-9]{30,}\b/g, REDACTED],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/g, REDACTED],
  [/\bhv[sbr]\.[A-Za-z0-9_-]{20,}/g, REDACTED],
  [/\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+/g, REDACTED],
];

/** The text with tokens, passwords and keys replaced by `[redacted]` (the name before them is kept). */
export function redactSecrets(text: string): string {
  let result = text;
  for (const [pattern, replacement] of REPLACEMENTS) {
    result = typeof replacement === 'string' ? result.replace(pattern, replacement) : result.replace(pattern, replacement as (...groups: string[]) => string);
  }
  return result;
}

/** At most `maxBytes` of UTF-8, cut on a character boundary (never half a code point). */
export function boundText(text: string, maxBytes: number): { text: string; truncated: boolean } {
  // A UTF-8 character is at most 3 bytes per UTF-16 unit: short strings need no encoding.
  if (text.length * 3 <= maxBytes) return { text, truncated: false };
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return { text, truncated: false };
  let end = Math.max(0, maxBytes);
  // Back off continuation bytes (10xxxxxx) to the start of the character that does not fit.
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end -= 1;
  return { text: bytes.subarray(0, end).toString('utf8'), truncated: true };
}

/**
 * Redacted, then bounded. The text is first cut a little past the bound so that a secret
 * straddling the bound is still recognised whole (and so a huge output costs bounded time).
 */
export function redactAndBound(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const margin = boundText(text, maxBytes + 4096);
  const bounded = boundText(redactSecrets(margin.text), maxBytes);
  return { text: bounded.text, truncated: bounded.truncated || margin.truncated };
}
