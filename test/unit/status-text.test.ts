// `opsdeck status` in text form: each engine's line says where it is, and a Kubernetes engine also
// which context and namespace it watches, whatever its kind lacks (no data root, no compose project).
import { describe, expect, it } from 'vitest';
import { formatStatusText } from '../../src/cli/status-text';
import type { StatusSnapshot } from '../../src/runtime/status-snapshot';

function snapshotWith(engines: StatusSnapshot['engines']): StatusSnapshot {
  return { takenAt: '2026-12-01T12:00:00.000Z', readOnly: true, engines, services: [], host: undefined, alerts: [], gates: [], errors: [], errorLineCount: 0 };
}

describe('status text', () => {
  it('names the context and namespace of a Kubernetes engine beside a Docker one', () => {
    const text = formatStatusText(
      snapshotWith([
        { id: 'local', kind: 'docker', label: 'local', endpoint: 'unix:///var/run/docker.sock', state: 'connected', version: '20.10.24' },
        { id: 'prod', kind: 'kubernetes', label: 'prod', endpoint: 'https://10.0.0.1:6443', state: 'connected', version: 'v1.20.2', context: 'prod' },
        { id: 'shop', kind: 'kubernetes', label: 'shop', endpoint: 'https://10.0.0.2:6443', state: 'disconnected', error: 'connect ECONNREFUSED 10.0.0.2:6443', context: 'staging', namespace: 'shop' },
      ]),
      { ascii: true, color: false },
    );
    expect(text.split('\n').slice(0, 3)).toEqual([
      'engine local (unix:///var/run/docker.sock): connected docker 20.10.24',
      'engine prod (https://10.0.0.1:6443, context prod, all namespaces): connected kubernetes v1.20.2',
      'engine shop (https://10.0.0.2:6443, context staging, namespace shop): disconnected - connect ECONNREFUSED 10.0.0.2:6443',
    ]);
  });
});
