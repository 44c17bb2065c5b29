// The one error a bad configuration produces: one line naming file, line, column and field.
//   opsdeck.yaml:7:14: thresholds.cpu.warning: expected a number, got "high"

import path from 'node:path';

export class ConfigError extends Error {
  /** File as shown in the message (relative to the working directory when inside it). */
  readonly file: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  /** Dotted path of the offending setting, e.g. thresholds.cpu.warning or engines[0].host. */
  readonly field: string | undefined;
  readonly detail: string;

  constructor(options: { file: string; detail: string; line?: number; column?: number; field?: string }) {
    const position = options.line !== undefined ? `:${options.line}:${options.column ?? 1}` : '';
    const field = options.field ? `${options.field}: ` : '';
    super(`${options.file}${position}: ${field}${options.detail}`);
    this.name = 'ConfigError';
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.field = options.field;
    this.detail = options.detail;
  }
}

/** A file as messages name it: relative to the working directory when inside it, else absolute. */
export function displayFileName(absolutePath: string, cwd: string): string {
  const relative = path.relative(cwd, absolutePath);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : absolutePath;
}
