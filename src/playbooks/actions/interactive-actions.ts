// decision, manual, note: steps for the operator. The runner turns `context.ask` into an
// awaiting state the wizard (or the headless twin) answers.

import { z } from 'zod';
import { defineAction } from './define-action';
import { failedOutcome } from './engine-steps';

const optionId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'an option id: lower-case letters, digits, - and _');

const decision = defineAction({
  name: 'decision',
  summary: 'Ask the operator to pick one of several named branches (each may go to a step)',
  params: z.strictObject({
    question: z.string().min(1),
    options: z
      .array(z.strictObject({ id: optionId, label: z.string().min(1), goto: z.string().min(1).optional() }))
      .min(2, 'a decision needs at least two options')
      .refine((options) => new Set(options.map((option) => option.id)).size === options.length, 'option ids must be unique'),
  }),
  mutates: () => false,
  describe: () => [],
  async run(values, context) {
    const answer = await context.ask({ kind: 'decision', question: values.question, options: values.options });
    if (answer.kind !== 'decision') return failedOutcome('the operator gave no choice');
    const chosen = values.options.find((option) => option.id === answer.choice);
    if (!chosen) return failedOutcome(`unknown choice ${JSON.stringify(answer.choice)} (options: ${values.options.map((option) => option.id).join(', ')})`);
    return { status: 'passed', calls: [], choice: chosen.id, stdout: `chose ${chosen.id}: ${chosen.label}`, data: chosen.goto ? { goto: chosen.goto } : {} };
  },
});

const manual = defineAction({
  name: 'manual',
  summary: 'Instructions for the operator, with a checklist to tick (or one acknowledgement)',
  params: z.strictObject({ instructions: z.string().min(1), checklist: z.array(z.string().min(1)).optional() }),
  mutates: () => false,
  describe: () => [],
  async run(values, context) {
    const items = values.checklist ?? [];
    const answer = await context.ask({ kind: 'checklist', instructions: values.instructions, items });
    if (answer.kind !== 'checklist') return failedOutcome('the checklist was not answered');
    const open = items.filter((_, index) => answer.ticked[index] !== true);
    const lines = items.map((item, index) => `[${answer.ticked[index] === true ? 'x' : ' '}] ${item}`);
    if (open.length > 0) return { status: 'failed', calls: [], stdout: lines.join('\n'), error: `not ticked: ${open.join('; ')}` };
    return { status: 'passed', calls: [], stdout: items.length > 0 ? lines.join('\n') : 'acknowledged' };
  },
});

const note = defineAction({
  name: 'note',
  summary: 'Show a note (templated) in the run and its journal',
  params: z.strictObject({ text: z.string() }),
  mutates: () => false,
  describe: () => [],
  run(values, context) {
    for (const line of values.text.split('\n')) context.onOutput('stdout', line);
    return Promise.resolve({ status: 'passed', calls: [], stdout: values.text });
  },
});

export const INTERACTIVE_ACTIONS = [decision, manual, note];
