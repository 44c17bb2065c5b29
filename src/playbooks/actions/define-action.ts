// Definitions are written against their own schema's output type and registered as
// `PlaybookActionDefinition<never>` (the registry's "any action"): the runner hands each one
// only parameters its own schema produced.

import type { z } from 'zod';
import type { PlaybookActionDefinition } from './action-registry';

export function defineAction<Schema extends z.ZodType>(
  definition: Omit<PlaybookActionDefinition<z.output<Schema>>, 'params'> & { params: Schema },
): PlaybookActionDefinition<never> {
  return definition as unknown as PlaybookActionDefinition<never>;
}
