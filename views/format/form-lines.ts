// One line per field of a form (the run's input form, incident mode's forms): the focus
// marker, the name, the value as typed (a ref key reads as its name), what the field takes,
// and the error beside it.

import { parseRefKey } from '../../src/domain/resource-ref';
import type { Glyphs } from './glyphs';
import type { Segment } from '../segments';

export const FIELD_NAME_WIDTH = 16;

/** A value as typed; a ref key bound from an alert reads as its name, the engine and kind after it. */
export function formValueSegments(value: string, focused: boolean): Segment[] {
  if (value === '') return [{ text: '(empty)', dim: true, inverse: focused }];
  const ref = parseRefKey(value);
  if (!ref) return [{ text: value, inverse: focused }];
  return [{ text: ref.name, inverse: focused }, { text: ` (${ref.kind} on ${ref.engineId})`, dim: true }];
}

export function formFieldLine(field: { name: string; typeText: string }, value: string, error: string | undefined, focused: boolean, glyphs: Glyphs): Segment[] {
  return [
    { text: focused ? `${glyphs.selected} ` : '  ', bold: true, tone: 'accent' },
    { text: field.name.padEnd(FIELD_NAME_WIDTH), bold: true },
    ...formValueSegments(value, focused),
    ...(field.typeText !== '' ? [{ text: `  ${field.typeText}`, dim: true }] : []),
    ...(error ? [{ text: `  ${glyphs.alert} ${error}`, tone: 'critical' as const, bold: true }] : []),
  ];
}
