// Names whose values are secrets by convention (VAULT_TOKEN, DB_PASSWORD, aws.secret-key, ...):
// their values are replaced by REDACTED wherever opsdeck writes them down for people (inspect
// evidence, the described exec call), while the engine still receives the real value.

export const REDACTED = '<redacted>';

const SECRET_NAME = /pass(word|wd|phrase)?|secret|token|api[-_.]?key|private[-_.]?key|access[-_.]?key|credential|auth(?!or)|cookie|session|signature|\bpwd\b|(^|[-_.])key$/i;

export function looksSecret(name: string): boolean {
  return SECRET_NAME.test(name);
}
