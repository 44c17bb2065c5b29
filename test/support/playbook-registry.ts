// A small action registry for playbook-file tests: real zod parameters mirroring the agreed
// table (/work/actions-table.md), so `with:` validation is exercised; run() is never called here.
import { z } from 'zod';
import { createActionRegistry, type ActionRegistry, type PlaybookActionDefinition } from '../../src/playbooks/actions/action-registry';

const duration = z.union([z.string(), z.number()]);
const container = { container: z.string().min(1), engine: z.string().min(1).optional() };

function definition<Params>(name: string, params: z.ZodType<Params>, mutates: (params: Params) => boolean): PlaybookActionDefinition<never> {
  const action: PlaybookActionDefinition<Params> = {
    name,
    summary: name,
    params,
    mutates,
    describe: () => [],
    run: () => Promise.reject(new Error('not run in playbook-file tests')),
  };
  return action as unknown as PlaybookActionDefinition<never>;
}

export function createTestActionRegistry(): ActionRegistry {
  return createActionRegistry([
    definition('container.restart', z.strictObject({ ...container, timeout: duration.optional() }), () => true),
    definition('container.stop', z.strictObject({ ...container, timeout: duration.optional() }), () => true),
    definition(
      'container.inspect',
      z.strictObject({
        ...container,
        require: z.strictObject({ state: z.string().optional(), health: z.enum(['healthy', 'unhealthy', 'starting', 'none']).optional(), running: z.boolean().optional() }).optional(),
      }),
      () => false,
    ),
    definition('container.logs', z.strictObject({ ...container, since: duration.optional(), tail: z.number().int().positive().optional(), grep: z.string().optional() }), () => false),
    definition(
      'shell.run',
      z.strictObject({ command: z.array(z.string()).min(1), readOnly: z.boolean().optional(), cwd: z.string().optional(), env: z.record(z.string(), z.string()).optional() }),
      (params) => params.readOnly !== true,
    ),
    definition('http.check', z.strictObject({ url: z.string().min(1), method: z.string().optional(), status: z.array(z.number().int()).optional(), insecure: z.boolean().optional() }), () => false),
    definition('tcp.check', z.strictObject({ host: z.string().min(1), port: z.number().int().min(1).max(65535) }), () => false),
    definition(
      'decision',
      z.strictObject({ question: z.string().min(1), options: z.array(z.strictObject({ id: z.string().min(1), label: z.string().min(1), goto: z.string().optional() })).min(2) }),
      () => false,
    ),
    definition('manual', z.strictObject({ instructions: z.string().min(1), checklist: z.array(z.string()).optional() }), () => false),
    definition('note', z.strictObject({ text: z.string() }), () => false),
  ]);
}
