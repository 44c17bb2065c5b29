// What every Kubernetes operation shares: the connection, the clock, the read-only decision, the
// access reviews (a 403 becomes their sentence) and the shape of a mutation's answer.

import type { ActionVerb, MutationAnswer } from '../../domain/engine-action';
import type { ResourceRef } from '../../domain/resource-ref';
import { toDisplayText } from '../../domain/untrusted-text';
import { ReadOnlyError } from '../capabilities';
import type { AccessAttributes, AccessReviews } from './access-review';
import { KubeApiError, type KubeConnection, type KubeRequest } from './kube-connection';
import type { ObjectMeta } from './kube-objects';
import { LIST_PAGE } from './kube-calls';

export interface OperationContext {
  engineId: string;
  readOnly: boolean;
  connect(): Promise<KubeConnection>;
  now(): number;
  access: AccessReviews;
}

/** A request, with the permission it needs (named in the sentence when the server answers 403). */
export type KubeCall = KubeRequest & { access: AccessAttributes };

/** The caller's abort signal, as a request takes it. */
export function signalOption(options: { signal?: AbortSignal | undefined }): { signal?: AbortSignal } {
  return options.signal ? { signal: options.signal } : {};
}

/** Read-only mode is enforced here, before anything reaches the API server. */
export function refuseInReadOnly(context: OperationContext, verb: ActionVerb, target: Pick<ResourceRef, 'name' | 'engineId'>): void {
  if (context.readOnly) throw new ReadOnlyError(verb, target.name);
  if (target.engineId !== context.engineId) throw new Error(`${target.name} belongs to engine ${target.engineId}, not ${context.engineId}`);
}

/** The error to show for a failed request: a 403 as the access sentence, anything else as the server's sanitised message. */
export function failureOf(context: OperationContext, error: unknown, access: AccessAttributes): Error {
  if (error instanceof KubeApiError) {
    if (error.status === 403) return new Error(context.access.forbiddenByServer(access, error.message));
    return new Error(toDisplayText(error.message));
  }
  if (error instanceof Error && error.name === 'AbortError') return error;
  return error instanceof Error ? new Error(toDisplayText(error.message)) : new Error(toDisplayText(String(error)));
}

export async function send<T>(context: OperationContext, call: KubeCall): Promise<T> {
  const { access, ...request } = call;
  const connection = await context.connect();
  try {
    return await connection.request<T>(request);
  } catch (error) {
    throw failureOf(context, error, access);
  }
}

/** Every page of a list (limit/continue), items in the server's order. */
export async function listAll<T>(context: OperationContext, call: KubeCall, pageSize = LIST_PAGE): Promise<T[]> {
  const items: T[] = [];
  let token: string | undefined;
  do {
    const separator = call.path.includes('?') ? '&' : '?';
    const path = `${call.path}${separator}limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    const page = await send<{ items?: T[]; metadata?: { continue?: string } }>(context, { ...call, path });
    items.push(...(page?.items ?? []));
    token = page?.metadata?.continue || undefined;
  } while (token);
  return items;
}

/** A mutation's answer from the object the server returned (or would have, on a dry run). */
export function mutationAnswer(dryRun: boolean | undefined, summary: string, changes: Record<string, [unknown, unknown]>, answered: { metadata?: ObjectMeta } | undefined): MutationAnswer {
  const resourceVersion = answered?.metadata?.resourceVersion;
  return {
    dryRun: dryRun === true,
    summary,
    ...(Object.keys(changes).length > 0 ? { changes } : {}),
    ...(resourceVersion !== undefined ? { resourceVersion } : {}),
  };
}
