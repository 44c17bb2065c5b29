// A Pod in the API server's protobuf encoding (k8s.io/api/core/v1 generated.proto) read into the
// part of its JSON form that pod-mapping.ts reads (RawPod): identity, owner, containers' names,
// images, memory limits and readiness probes, phase, conditions and container states. Everything
// else is skipped by its length. Times are epoch milliseconds (timeOf takes them as they are).
// The field numbers are the proto's; a test lists the same pods both ways from a real API server.

import type { RawPod } from './pod-mapping';
import { ProtobufReader, setString, timeMessage, within } from './protobuf-list';

type Metadata = NonNullable<RawPod['metadata']>;
type Owner = NonNullable<Metadata['ownerReferences']>[number];
type Spec = NonNullable<RawPod['spec']>;
type Container = NonNullable<Spec['containers']>[number];
type Status = NonNullable<RawPod['status']>;
type Condition = NonNullable<Status['conditions']>[number];
type ContainerStatus = NonNullable<Status['containerStatuses']>[number];
type ContainerState = NonNullable<ContainerStatus['state']>;
type Terminated = NonNullable<ContainerState['terminated']>;

/** A time field as JSON would have it: absent for the zero time. */
function setTime<Target extends object>(into: Target, key: keyof Target, reader: ProtobufReader): void {
  const time = timeMessage(reader);
  if (time !== undefined) (into as Record<PropertyKey, unknown>)[key] = time;
}

function ownerReference(reader: ProtobufReader): Owner {
  const owner: Owner = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) setString(owner, 'kind', reader);
    else if (field === 3) setString(owner, 'name', reader);
    else if (field === 4) setString(owner, 'uid', reader);
    else if (field === 6) owner.controller = reader.varint() !== 0;
    else reader.skip();
  }
  return owner;
}

function objectMeta(reader: ProtobufReader): Metadata {
  const metadata: Metadata = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) setString(metadata, 'name', reader);
    else if (field === 3) setString(metadata, 'namespace', reader);
    else if (field === 5) setString(metadata, 'uid', reader);
    else if (field === 8) setTime(metadata, 'creationTimestamp', reader);
    else if (field === 9) setTime(metadata, 'deletionTimestamp', reader);
    else if (field === 13) (metadata.ownerReferences ??= []).push(within(reader, ownerReference));
    else reader.skip();
  }
  return metadata;
}

/** A Quantity (1: its string). */
function quantityString(reader: ProtobufReader): string {
  let value = '';
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) value = reader.string();
    else reader.skip();
  }
  return value;
}

/** ResourceRequirements' limits: map<string, Quantity> (entries of key 1, value 2; Quantity's string 1). */
function limitsOf(reader: ProtobufReader): Record<string, string> | undefined {
  let limits: Record<string, string> | undefined;
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field !== 1) {
      reader.skip();
      continue;
    }
    const entry = reader.enter();
    let key = '';
    let value = '';
    for (let part = reader.field(); part !== 0; part = reader.field()) {
      if (part === 1) key = reader.string();
      else if (part === 2) value = within(reader, quantityString);
      else reader.skip();
    }
    reader.leave(entry);
    (limits ??= {})[key] = value;
  }
  return limits;
}

function container(reader: ProtobufReader): Container {
  const result: Container = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) setString(result, 'name', reader);
    else if (field === 2) setString(result, 'image', reader);
    else if (field === 8) {
      const limits = within(reader, limitsOf);
      result.resources = limits ? { limits } : {};
    } else if (field === 11) {
      reader.skip();
      result.readinessProbe = {};
    } else reader.skip();
  }
  return result;
}

function podSpec(reader: ProtobufReader): Spec {
  const spec: Spec = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 2) (spec.containers ??= []).push(within(reader, container));
    else if (field === 3) setString(spec, 'restartPolicy', reader);
    else if (field === 10) setString(spec, 'nodeName', reader);
    else reader.skip();
  }
  return spec;
}

function condition(reader: ProtobufReader): Condition {
  const result: Condition = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) setString(result, 'type', reader);
    else if (field === 2) setString(result, 'status', reader);
    else if (field === 5) setString(result, 'reason', reader);
    else if (field === 6) setString(result, 'message', reader);
    else reader.skip();
  }
  return result;
}

/** ContainerStateWaiting (1: reason, 2: message) and ContainerStateRunning (1: startedAt). */
function reasonAndMessage(reader: ProtobufReader): { reason?: string; message?: string } {
  const result: { reason?: string; message?: string } = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) setString(result, 'reason', reader);
    else if (field === 2) setString(result, 'message', reader);
    else reader.skip();
  }
  return result;
}

function terminated(reader: ProtobufReader): Terminated {
  const result: Terminated = { exitCode: 0 };
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) result.exitCode = reader.int32();
    else if (field === 3) setString(result, 'reason', reader);
    else if (field === 4) setString(result, 'message', reader);
    else if (field === 5) setTime(result, 'startedAt', reader);
    else if (field === 6) setTime(result, 'finishedAt', reader);
    else reader.skip();
  }
  return result;
}

function running(reader: ProtobufReader): NonNullable<ContainerState['running']> {
  const result: NonNullable<ContainerState['running']> = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) setTime(result, 'startedAt', reader);
    else reader.skip();
  }
  return result;
}

function containerState(reader: ProtobufReader): ContainerState {
  const state: ContainerState = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) state.waiting = within(reader, reasonAndMessage);
    else if (field === 2) {
      state.running = within(reader, running);
    } else if (field === 3) state.terminated = within(reader, terminated);
    else reader.skip();
  }
  return state;
}

function containerStatus(reader: ProtobufReader): ContainerStatus {
  const status: ContainerStatus = { ready: false, restartCount: 0 };
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) setString(status, 'name', reader);
    else if (field === 2) status.state = within(reader, containerState);
    else if (field === 3) status.lastState = within(reader, containerState);
    else if (field === 4) status.ready = reader.varint() !== 0;
    else if (field === 5) status.restartCount = reader.int32();
    else reader.skip();
  }
  return status;
}

function podStatus(reader: ProtobufReader): Status {
  const status: Status = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) setString(status, 'phase', reader);
    else if (field === 2) (status.conditions ??= []).push(within(reader, condition));
    else if (field === 3) setString(status, 'message', reader);
    else if (field === 4) setString(status, 'reason', reader);
    else if (field === 7) setTime(status, 'startTime', reader);
    else if (field === 8) (status.containerStatuses ??= []).push(within(reader, containerStatus));
    else if (field === 10) (status.initContainerStatuses ??= []).push(within(reader, containerStatus));
    else reader.skip();
  }
  return status;
}

/** One Pod message (1: metadata, 2: spec, 3: status). */
export function podOfProtobuf(reader: ProtobufReader): RawPod {
  const pod: RawPod = {};
  for (let field = reader.field(); field !== 0; field = reader.field()) {
    if (field === 1) pod.metadata = within(reader, objectMeta);
    else if (field === 2) pod.spec = within(reader, podSpec);
    else if (field === 3) pod.status = within(reader, podStatus);
    else reader.skip();
  }
  return pod;
}
