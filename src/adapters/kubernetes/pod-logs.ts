// kubectl logs for one container of a pod (since, tail, previous), read as it streams: sanitised
// line by line and bounded to the newest ~1 MiB by the same reader as the Docker adapter's logs.

import type { InstanceKind, ResourceRef } from '../../domain/resource-ref';
import { BoundedLines, readOutputLines } from '../docker/stream-output';
import type { LogWindow, OperationOptions } from '../capabilities';
import { namespaceOf, podLogQuery, resourcePath, resourceWord, withQuery } from './kube-calls';
import type { PodObject } from './kube-objects';
import { failureOf, send, signalOption, type OperationContext } from './operation-context';
import { targetAccess } from './access-review';

type InstanceRef = ResourceRef & { kind: InstanceKind };

export const DEFAULT_CONTAINER_ANNOTATION = 'kubectl.kubernetes.io/default-container';

export function readPod(context: OperationContext, target: InstanceRef, options: OperationOptions = {}): Promise<PodObject> {
  if (target.kind !== 'pod') return Promise.reject(new Error(`${target.name} is not a pod`));
  return send<PodObject>(context, { path: resourcePath('pod', namespaceOf(target), target.name), access: targetAccess('get', target), ...signalOption(options) });
}

/** The container asked for (it must exist), else kubectl's default: the annotation's, else the first. */
export function containerOf(pod: PodObject, target: Pick<ResourceRef, 'name' | 'kind'>, wanted: string | undefined): string {
  const names = (pod.spec?.containers ?? []).map((container) => container.name);
  if (wanted !== undefined) {
    if (!names.includes(wanted)) throw new Error(`${resourceWord(target)} has no container ${JSON.stringify(wanted)} (containers: ${names.join(', ') || 'none'})`);
    return wanted;
  }
  const annotated = pod.metadata?.annotations?.[DEFAULT_CONTAINER_ANNOTATION];
  if (annotated !== undefined && names.includes(annotated)) return annotated;
  const first = names[0];
  if (first === undefined) throw new Error(`${resourceWord(target)} has no containers`);
  return first;
}

export async function readInstanceLogs(context: OperationContext, target: InstanceRef, window: LogWindow, options: OperationOptions = {}): Promise<string> {
  const pod = await readPod(context, target, options);
  const container = containerOf(pod, target, window.container);
  const path = withQuery(`${resourcePath('pod', namespaceOf(target), target.name)}/log`, podLogQuery(window, container));
  const connection = await context.connect();
  const lines = new BoundedLines('last');
  try {
    const stream = await connection.openStream({ path, ...signalOption(options) }, 'text/plain');
    // Kubernetes sends the container's streams merged, as text: every line is stdout.
    await readOutputLines(stream, {
      raw: true,
      signal: options.signal,
      onLine: (_source, text) => {
        lines.add(text);
        options.onOutput?.('stdout', text);
      },
    });
  } catch (error) {
    throw failureOf(context, error, targetAccess('get', target, 'log'));
  }
  return lines.text;
}
