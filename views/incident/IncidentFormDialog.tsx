import { memo } from 'react';
import { incidentFormFields, incidentFormTitle } from '../../src/store/selectors/incident-form';
import { useDisplay } from '../display-context';
import { formFieldLine } from '../format/form-lines';
import { CenteredDialog } from '../overlays/CenteredDialog';
import type { Segment } from '../segments';
import { useOpsdeck } from '../store-context';

/**
 * An incident form over the body (declare, note, who was contacted, resolve): one line per
 * field with its value as typed, the focused field's description and choices, and why the last
 * submit was not taken. Typing goes to the focused field (the hint bar shows the line edited).
 */
export const IncidentFormDialog = memo(function IncidentFormDialog(props: { width: number; height: number }) {
  const { glyphs } = useDisplay();
  const form = useOpsdeck((state) => state.ui.incident.form);
  const config = useOpsdeck((state) => state.incidentConfig);
  if (!form) return null;
  const fields = incidentFormFields({ incidentConfig: config }, form.kind);
  const focused = fields[form.field];
  const lines: Segment[][] = [
    [{ text: ` ${incidentFormTitle(form, { incidentConfig: config })}`, bold: true, tone: 'critical' }],
    [{ text: '' }],
    ...fields.map((field, index) =>
      formFieldLine({ name: field.label, typeText: field.required ? '' : 'optional' }, form.values[field.name] ?? '', undefined, index === form.field, glyphs),
    ),
    [{ text: '' }],
    [{ text: ` ${focused?.description ?? ''}`, dim: true }],
    focused && focused.choices.length > 0 ? [{ text: ` tab: ${focused.choices.join('  ')}`, tone: 'accent' }] : [{ text: '' }],
    form.error ? [{ text: ` ${glyphs.alert} ${form.error}`, tone: 'critical', bold: true }] : [{ text: ' enter submits, escape cancels (nothing is journaled)', dim: true }],
  ];
  const width = Math.min(96, Math.max(20, props.width - 4));
  return <CenteredDialog width={props.width} height={props.height} dialogWidth={width} tone="critical" lines={lines.slice(0, Math.max(3, props.height - 2))} />;
});
