// The `when` language of a step: `inputs.force`, `not inputs.force`, `steps.diag.exitCode != 0`,
// `steps.check.status == "failed"`, `steps.diag.stdout =~ "(?i)oom"`, `and`, `or`, parentheses,
// string, number and boolean literals. Parsed when the file loads (errors located there) and
// evaluated when the step is reached. A small recursive-descent parser: nothing is ever eval'd.

import { compilePattern } from '../domain/pattern';
import { lookupReference, parseReference, referenceProblem, type Reference, type ReferenceContext, type TemplateScope } from './template';

type ComparisonOperator = '==' | '!=' | '=~' | '!~' | '<' | '<=' | '>' | '>=';

type Operand =
  | { kind: 'reference'; reference: Reference; source: string }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'group'; node: ConditionNode };

type ConditionNode =
  | { kind: 'and' | 'or'; left: ConditionNode; right: ConditionNode }
  | { kind: 'not'; operand: ConditionNode }
  | { kind: 'compare'; operator: ComparisonOperator; left: Operand; right: Operand; pattern?: RegExp }
  | { kind: 'value'; operand: Operand };

export interface Condition {
  source: string;
  root: ConditionNode;
  /** Every reference it reads, for load-time checks. */
  references: ReadonlyArray<{ reference: Reference; source: string }>;
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; value: string; at: number }
  | { kind: 'number'; value: number; at: number }
  | { kind: 'operator'; text: ComparisonOperator; at: number }
  | { kind: 'paren'; text: '(' | ')'; at: number };

class ConditionSyntaxError extends Error {}

const OPERATORS: readonly ComparisonOperator[] = ['==', '!=', '=~', '!~', '<=', '>=', '<', '>'];
const WORD = /[A-Za-z0-9_.-]/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let position = 0;
  const fail = (detail: string, at: number): never => {
    throw new ConditionSyntaxError(`${detail} at character ${at + 1}`);
  };
  while (position < text.length) {
    const character = text[position] as string;
    if (/\s/.test(character)) {
      position += 1;
    } else if (character === '(' || character === ')') {
      tokens.push({ kind: 'paren', text: character, at: position });
      position += 1;
    } else if (character === '"' || character === "'") {
      let value = '';
      let index = position + 1;
      while (index < text.length && text[index] !== character) {
        if (text[index] === '\\' && index + 1 < text.length) index += 1;
        value += text[index];
        index += 1;
      }
      if (index >= text.length) fail('unclosed string', position);
      tokens.push({ kind: 'string', value, at: position });
      position = index + 1;
    } else if (/[0-9]/.test(character) || (character === '-' && /[0-9]/.test(text[position + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?(?![A-Za-z0-9_.-])/.exec(text.slice(position));
      if (!match) fail('invalid number', position);
      tokens.push({ kind: 'number', value: Number(match![0]), at: position });
      position += match![0].length;
    } else if (WORD.test(character)) {
      let end = position;
      while (end < text.length && WORD.test(text[end] as string)) end += 1;
      tokens.push({ kind: 'word', text: text.slice(position, end), at: position });
      position = end;
    } else {
      const operator = OPERATORS.find((candidate) => text.startsWith(candidate, position));
      if (!operator) fail(`unexpected ${JSON.stringify(character)}`, position);
      tokens.push({ kind: 'operator', text: operator!, at: position });
      position += operator!.length;
    }
  }
  return tokens;
}

class Parser {
  private index = 0;
  readonly references: Array<{ reference: Reference; source: string }> = [];

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): ConditionNode {
    if (this.tokens.length === 0) throw new ConditionSyntaxError('empty condition');
    const node = this.parseOr();
    const rest = this.tokens[this.index];
    if (rest) this.fail(`unexpected ${describe(rest)}`, rest);
    return node;
  }

  private fail(detail: string, token: Token | undefined): never {
    throw new ConditionSyntaxError(`${detail} at character ${(token?.at ?? this.length) + 1}`);
  }

  private isWord(text: string): boolean {
    const token = this.tokens[this.index];
    return token?.kind === 'word' && token.text === text;
  }

  private parseOr(): ConditionNode {
    let left = this.parseAnd();
    while (this.isWord('or')) {
      this.index += 1;
      left = { kind: 'or', left, right: this.parseAnd() };
    }
    return left;
  }

  private parseAnd(): ConditionNode {
    let left = this.parseNot();
    while (this.isWord('and')) {
      this.index += 1;
      left = { kind: 'and', left, right: this.parseNot() };
    }
    return left;
  }

  private parseNot(): ConditionNode {
    if (this.isWord('not')) {
      this.index += 1;
      return { kind: 'not', operand: this.parseNot() };
    }
    return this.parseComparison();
  }

  private parseComparison(): ConditionNode {
    const left = this.parseOperand();
    const token = this.tokens[this.index];
    if (token?.kind !== 'operator') return left.kind === 'group' ? left.node : { kind: 'value', operand: left };
    this.index += 1;
    const right = this.parseOperand();
    if (token.text === '=~' || token.text === '!~') {
      if (right.kind !== 'literal' || typeof right.value !== 'string') this.fail(`${token.text} needs a "quoted" regular expression on its right`, token);
      try {
        return { kind: 'compare', operator: token.text, left, right, pattern: compilePattern(right.value as string) };
      } catch (error) {
        this.fail((error as Error).message, token);
      }
    }
    return { kind: 'compare', operator: token.text, left, right };
  }

  private parseOperand(): Operand {
    const token = this.tokens[this.index];
    if (!token) this.fail('expected a value', undefined);
    this.index += 1;
    switch (token!.kind) {
      case 'string':
      case 'number':
        return { kind: 'literal', value: token!.value };
      case 'paren': {
        if (token!.text === ')') this.fail('unexpected ")"', token);
        const node = this.parseOr();
        const close = this.tokens[this.index];
        if (close?.kind !== 'paren' || close.text !== ')') this.fail('expected ")"', close);
        this.index += 1;
        return { kind: 'group', node };
      }
      case 'word': {
        const text = token!.text;
        if (text === 'true' || text === 'false') return { kind: 'literal', value: text === 'true' };
        if (text === 'and' || text === 'or' || text === 'not') this.fail(`expected a value before ${JSON.stringify(text)}`, token);
        const reference = parseReference(text);
        if ('problem' in reference) this.fail(reference.problem, token);
        this.references.push({ reference: reference as Reference, source: text });
        return { kind: 'reference', reference: reference as Reference, source: text };
      }
      case 'operator':
        return this.fail(`expected a value before ${JSON.stringify(token!.text)}`, token);
    }
  }
}

function describe(token: Token): string {
  if (token.kind === 'string') return JSON.stringify(token.value);
  if (token.kind === 'number') return String(token.value);
  return JSON.stringify(token.text);
}

/** Parses a `when` expression. Returns the condition or its syntax problem ("... at character N"). */
export function parseCondition(text: string): { condition: Condition } | { problem: string } {
  try {
    const parser = new Parser(tokenize(text), text.length);
    const root = parser.parse();
    return { condition: { source: text, root, references: parser.references } };
  } catch (error) {
    if (error instanceof ConditionSyntaxError) return { problem: error.message };
    throw error;
  }
}

/** The first problem of a condition at this place (syntax, then each reference), or undefined. */
export function validateCondition(text: string, context: ReferenceContext): string | undefined {
  const parsed = parseCondition(text);
  if ('problem' in parsed) return parsed.problem;
  for (const { reference, source } of parsed.condition.references) {
    const problem = referenceProblem(reference, context);
    if (problem) return `${source}: ${problem}`;
  }
  return undefined;
}

/** Whether the step runs. A value that does not exist (a skipped step's exit code) is false and equals nothing. */
export function evaluateCondition(condition: Condition | string, scope: TemplateScope): boolean {
  let parsed: Condition;
  if (typeof condition === 'string') {
    const result = parseCondition(condition);
    if ('problem' in result) throw new Error(`invalid condition ${JSON.stringify(condition)}: ${result.problem}`);
    parsed = result.condition;
  } else {
    parsed = condition;
  }
  return evaluateNode(parsed.root, scope);
}

function evaluateNode(node: ConditionNode, scope: TemplateScope): boolean {
  switch (node.kind) {
    case 'and':
      return evaluateNode(node.left, scope) && evaluateNode(node.right, scope);
    case 'or':
      return evaluateNode(node.left, scope) || evaluateNode(node.right, scope);
    case 'not':
      return !evaluateNode(node.operand, scope);
    case 'value':
      return isTruthy(operandValue(node.operand, scope));
    case 'compare':
      return compare(node, operandValue(node.left, scope), operandValue(node.right, scope));
  }
}

function operandValue(operand: Operand, scope: TemplateScope): unknown {
  if (operand.kind === 'literal') return operand.value;
  if (operand.kind === 'group') return evaluateNode(operand.node, scope);
  return lookupReference(operand.reference, scope);
}

function isTruthy(value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value !== '';
  return value !== undefined && value !== null;
}

function asNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return undefined;
}

function isEqual(left: unknown, right: unknown): boolean {
  if (left === undefined || right === undefined) return left === right;
  if (typeof left === typeof right) return left === right;
  // A number against numeric text (an exit code against "0" from a string input).
  const leftNumber = asNumber(left);
  const rightNumber = asNumber(right);
  if ((typeof left === 'number' || typeof right === 'number') && leftNumber !== undefined && rightNumber !== undefined) return leftNumber === rightNumber;
  return String(left) === String(right);
}

function compare(node: Extract<ConditionNode, { kind: 'compare' }>, left: unknown, right: unknown): boolean {
  switch (node.operator) {
    case '==':
      return isEqual(left, right);
    case '!=':
      return !isEqual(left, right);
    case '=~':
    case '!~': {
      const matches = left !== undefined && left !== null && (node.pattern as RegExp).test(typeof left === 'string' ? left : JSON.stringify(left));
      return node.operator === '=~' ? matches : !matches;
    }
    default: {
      const leftNumber = asNumber(left);
      const rightNumber = asNumber(right);
      if (leftNumber === undefined || rightNumber === undefined) return false;
      if (node.operator === '<') return leftNumber < rightNumber;
      if (node.operator === '<=') return leftNumber <= rightNumber;
      if (node.operator === '>') return leftNumber > rightNumber;
      return leftNumber >= rightNumber;
    }
  }
}
