import { Box } from 'ink';
import { memo } from 'react';
import type { PlaybookInput } from '../../src/playbooks/playbook-types';
import { inputChoices, matchingChoices, selectRunForm } from '../../src/store/selectors/run-form';
import { useDisplay } from '../display-context';
import { formFieldLine } from '../format/form-lines';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useOpsdeck, useOpsdeckShallow } from '../store-context';

/** "container", "choice of a|b", "string ^[a-z]+$", "number, default 10". */
function typeText(input: PlaybookInput): string {
  const parts: string[] = [input.type];
  if (input.pattern) parts.push(input.pattern);
  if (input.default !== undefined) parts.push(`default ${String(input.default)}`);
  if (!input.required) parts.push('optional');
  return parts.join(', ');
}

function fieldLine(input: PlaybookInput, value: string, error: string | undefined, focused: boolean, glyphs: ReturnType<typeof useDisplay>['glyphs']): Segment[] {
  return formFieldLine({ name: input.name, typeText: typeText(input) }, value, error, focused, glyphs);
}

/** The choices of the focused field (allowed values, live objects), those matching what is typed. */
function useChoiceLine(input: PlaybookInput | undefined, value: string): string {
  const choices = useOpsdeckShallow((state) => (input ? inputChoices(state, input) : []));
  if (!input || choices.length === 0) return '';
  const matching = matchingChoices(choices, value);
  if (matching.length === 0) return `no ${input.type} matches "${value}" (tab: all ${choices.length})`;
  return `tab: ${matching.length === choices.length ? '' : `${matching.length} of ${choices.length}: `}${matching.join('  ')}`;
}

/**
 * The input form of a run waiting for inputs: one line per input with its type, default or
 * allowed values, the value as typed, and the runner's error beside the field.
 */
export const InputForm = memo(function InputForm(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const view = useOpsdeck(selectRunForm);
  const focused = view ? view.awaiting.inputs[view.form.field] : undefined;
  const choiceLine = useChoiceLine(focused, focused && view ? (view.form.values[focused.name] ?? '') : '');
  if (!view) return null;
  const { awaiting, form } = view;
  const lines: Segment[][] = awaiting.inputs.map((input, index) =>
    fieldLine(input, form.values[input.name] ?? '', awaiting.errors[input.name], index === form.field, glyphs),
  );
  const formError = awaiting.errors[''];
  lines.push([{ text: '' }]);
  if (focused?.description) lines.push([{ text: `  ${focused.description}`, dim: true }]);
  if (choiceLine !== '') lines.push([{ text: `  ${choiceLine}`, tone: 'accent' }]);
  if (formError) lines.push([{ text: `  ${glyphs.alert} ${formError}`, tone: 'critical', bold: true }]);
  return (
    <Box flexDirection="column" width={props.width} height={props.height} overflow="hidden">
      {lines.slice(0, props.height).map((line, index) => (
        <RowText key={index} segments={fitSegments(line, props.width, glyphs.ellipsis)} />
      ))}
    </Box>
  );
});
