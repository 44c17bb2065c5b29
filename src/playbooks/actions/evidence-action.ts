// evidence.capture: for every container of a project (or engine), its logs and its inspect
// payload into a new timestamped folder, then MANIFEST.sha256 in sha256sum format, so the
// evidence can be checked later with `sha256sum -c MANIFEST.sha256`.

import { createHash } from 'node:crypto';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import type { ActionCall, EngineAction } from '../../domain/engine-action';
import type { ActionContext, StepOutcome } from './action-registry';
import { checksumLine } from './archive-files';
import { defineAction } from './define-action';
import { describeActions, execute, failedOutcome, instancesIn, messageOf, type InstanceRef } from './engine-steps';
import { nameParam } from './param-types';
import { utcStamp } from '../../domain/utc-stamp';

const MANIFEST = 'MANIFEST.sha256';

const params = z.strictObject({ project: nameParam.optional(), engine: nameParam.optional(), directory: z.string().min(1).optional() });
type EvidenceValues = z.output<typeof params>;

function targetsOf(values: EvidenceValues, context: ActionContext): InstanceRef[] {
  return instancesIn(context, values).map((instance) => instance.ref);
}

function readsOf(target: InstanceRef): EngineAction[] {
  return [
    { verb: 'inspect', target },
    { verb: 'logs', target },
  ];
}

/** A file name for a container: its name, engine-prefixed when several engines are captured. */
function fileStem(target: InstanceRef, severalEngines: boolean): string {
  const name = severalEngines ? `${target.engineId}-${target.name}` : target.name;
  return name.replace(/[^A-Za-z0-9._-]+/g, '_');
}

async function writeNew(directory: string, name: string, content: string, manifest: string[]): Promise<void> {
  await writeFile(join(directory, name), content, { flag: 'wx' });
  manifest.push(checksumLine(createHash('sha256').update(content).digest('hex'), name));
}

const evidenceCapture = defineAction({
  name: 'evidence.capture',
  summary: 'Logs and inspect JSON of every container (of a project or engine) into a new timestamped folder with a sha256 manifest',
  params,
  mutates: () => false,
  describe: (values, context) => describeActions(targetsOf(values, context).flatMap(readsOf), context),
  async run(values, context) {
    const targets = targetsOf(values, context);
    if (targets.length === 0) return failedOutcome(`no containers${values.project ? ` in project ${values.project}` : ''}${values.engine ? ` on engine ${values.engine}` : ''}`);
    const directory = resolve(values.directory ?? join(context.runDirectory, `evidence-${utcStamp(context.now())}`));
    const alreadyThere = await access(directory).then(
      () => true,
      () => false,
    );
    if (alreadyThere) return failedOutcome(`${directory} already exists: evidence goes into a new folder`);
    try {
      await mkdir(directory, { recursive: true });
    } catch (error) {
      return failedOutcome(`cannot create ${directory}: ${messageOf(error)}`);
    }
    const severalEngines = new Set(targets.map((target) => target.engineId)).size > 1;
    const manifest: string[] = [];
    const problems: string[] = [];
    const calls: ActionCall[] = [];
    for (const target of targets) {
      const stem = fileStem(target, severalEngines);
      const inspected = await execute({ verb: 'inspect', target }, context, { onOutput: () => undefined });
      if (inspected.call) calls.push(inspected.call);
      if (inspected.status === 'done' && inspected.output?.inspect) await writeNew(directory, `${stem}.inspect.json`, `${JSON.stringify(inspected.output.inspect.raw, null, 2)}\n`, manifest);
      else problems.push(`inspect ${target.name}: ${inspected.error ?? inspected.status}`);
      // The logs go to the file, not to the run's output pane.
      const logs = await execute({ verb: 'logs', target }, context, { onOutput: () => undefined });
      if (logs.call) calls.push(logs.call);
      if (logs.status === 'done') await writeNew(directory, `${stem}.log`, logs.output?.stdout ? `${logs.output.stdout}\n` : '', manifest);
      else problems.push(`logs ${target.name}: ${logs.error ?? logs.status}`);
      context.onOutput('info', `captured ${target.name}`);
    }
    await writeFile(join(directory, MANIFEST), manifest.join(''), { flag: 'wx' });
    const files = manifest.map((line) => line.slice(66).trimEnd());
    const outcome: StepOutcome = { status: 'passed', calls, stdout: [`evidence in ${directory}`, ...files.map((file) => `  ${file}`), `  ${MANIFEST}`].join('\n'), data: { directory, files } };
    return problems.length === 0 ? outcome : { ...outcome, status: 'failed', error: problems.join('; ') };
  },
});

export const EVIDENCE_ACTIONS = [evidenceCapture];
