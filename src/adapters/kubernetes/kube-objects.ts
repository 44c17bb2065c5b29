// The few fields of Kubernetes objects the actions read, as the API server sends them in JSON
// (no generated model classes). Everything is optional: an answer is untrusted input.

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: { uid?: string; kind?: string; name?: string; controller?: boolean }[];
  managedFields?: unknown;
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}

export interface ResourceRequirements {
  limits?: Record<string, string>;
  requests?: Record<string, string>;
}

export interface Container {
  name: string;
  image?: string;
  env?: EnvVar[];
  resources?: ResourceRequirements;
}

export interface PodTemplate {
  metadata?: ObjectMeta;
  spec?: { containers?: Container[]; initContainers?: Container[] } & Record<string, unknown>;
}

export interface WorkloadObject {
  metadata?: ObjectMeta;
  spec?: {
    replicas?: number;
    paused?: boolean;
    selector?: LabelSelector;
    template?: PodTemplate;
    updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
  };
  status?: {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    currentReplicas?: number;
    currentRevision?: string;
    updateRevision?: string;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
  };
}

export interface ReplicaSetObject {
  metadata?: ObjectMeta;
  spec?: { template?: PodTemplate };
  status?: { replicas?: number };
}

export interface ControllerRevisionObject {
  metadata?: ObjectMeta;
  revision?: number;
  /** A strategic merge patch: {"spec":{"template":{..., "$patch":"replace"}}}. */
  data?: { spec?: { template?: PodTemplate & { $patch?: string } } };
}

export interface ContainerState {
  running?: { startedAt?: string };
  waiting?: { reason?: string; message?: string };
  terminated?: { exitCode?: number; reason?: string; startedAt?: string; finishedAt?: string; message?: string };
}

export interface ContainerStatus {
  name: string;
  image?: string;
  ready?: boolean;
  restartCount?: number;
  started?: boolean;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface PodObject {
  metadata?: ObjectMeta;
  spec?: { containers?: Container[]; nodeName?: string };
  status?: {
    phase?: string;
    reason?: string;
    message?: string;
    startTime?: string;
    conditions?: { type?: string; status?: string; reason?: string; message?: string }[];
    containerStatuses?: ContainerStatus[];
  };
}

export interface EventObject {
  metadata?: ObjectMeta;
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  series?: { count?: number; lastObservedTime?: string };
  involvedObject?: { kind?: string; name?: string; namespace?: string; uid?: string };
}

export interface ObjectList<T> {
  metadata?: { continue?: string; resourceVersion?: string };
  items?: T[];
}

export interface ScaleObject {
  metadata?: ObjectMeta;
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

export interface PodMetricsObject {
  metadata?: ObjectMeta;
  containers?: { name: string; usage?: { cpu?: string; memory?: string } }[];
}

/** The label selector as a query value: `app=api,tier in (web,edge),!canary`. */
export function selectorString(selector: LabelSelector | undefined): string {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const expression of selector?.matchExpressions ?? []) {
    const values = (expression.values ?? []).join(',');
    if (expression.operator === 'In') parts.push(`${expression.key} in (${values})`);
    else if (expression.operator === 'NotIn') parts.push(`${expression.key} notin (${values})`);
    else if (expression.operator === 'Exists') parts.push(expression.key);
    else if (expression.operator === 'DoesNotExist') parts.push(`!${expression.key}`);
  }
  return parts.join(',');
}

/** Whether `object` is controlled by the object with `uid` (its controller owner reference). */
export function isControlledBy(object: { metadata?: ObjectMeta }, uid: string | undefined): boolean {
  return uid !== undefined && (object.metadata?.ownerReferences ?? []).some((owner) => owner.controller === true && owner.uid === uid);
}
