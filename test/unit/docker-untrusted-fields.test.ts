// The Docker adapter's mapping functions clean every text field the engine sends.
import type { ContainerInfo as DockerListItem, ContainerInspectInfo } from 'dockerode';
import { describe, expect, it } from 'vitest';
import { containerFromInspect, containerFromListItem } from '../../src/adapters/docker/container-mapping';
import { describeError } from '../../src/adapters/docker/docker-client';

const ESC = '\u001b';
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const hostileLabels = {
  'com.docker.compose.project': `billing${ESC}]0;pwned\u0007-prod`,
  'com.docker.compose.service': `api${ESC}[2J\u009b?1049l-v2`,
};

describe('Docker fields are cleaned where they enter', () => {
  it('cleans compose labels, name and image from the list endpoint', () => {
    const item = {
      Id: 'abc123',
      Names: [`/billing-api${ESC}[31m-1`],
      Image: `registry.local/api\u009d0;x\u0007:1`,
      Labels: hostileLabels,
      State: 'running',
      Status: 'Up 3 minutes',
      Created: 1_700_000_000,
    } as unknown as DockerListItem;
    const { instance } = containerFromListItem('local', item);
    expect(instance).toMatchObject({
      ref: { namespace: 'billing-prod', name: 'billing-api-1' },
      workload: { namespace: 'billing-prod', name: 'api-v2' },
      image: 'registry.local/api:1',
    });
    const strings = [instance.key, instance.workloadKey, instance.image, instance.state, ...Object.values(instance.ref), ...Object.values(instance.workload)];
    for (const value of strings) if (typeof value === 'string') expect(CONTROL.test(value)).toBe(false);
  });

  it('cleans the same fields from inspect', () => {
    const info = {
      Id: 'abc123',
      Name: '/billing-api-1',
      Image: 'sha256:1',
      Created: '2026-01-01T00:00:00Z',
      RestartCount: 0,
      Config: { Labels: hostileLabels, Image: `api${ESC}[8m:1`, Tty: false },
      State: { Status: 'running', Running: true, StartedAt: '2026-01-01T00:00:01Z', FinishedAt: '0001-01-01T00:00:00Z', ExitCode: 0 },
    } as unknown as ContainerInspectInfo;
    expect(containerFromInspect('local', info).instance).toMatchObject({ ref: { namespace: 'billing-prod' }, workload: { name: 'api-v2' }, image: 'api:1' });
  });

  it('a label made only of control sequences counts as missing', () => {
    const item = { Id: 'abc', Names: ['/solo'], Image: 'x', Labels: { 'com.docker.compose.project': `${ESC}[2J` }, State: 'running', Created: 0 } as unknown as DockerListItem;
    expect(containerFromListItem('local', item).instance.workload.namespace).toBe('(standalone)');
  });

  it('engine error messages are one clean line', () => {
    const error = Object.assign(new Error(`(HTTP code 409) conflict - ${ESC}]0;pwned\u0007container\u009b2J is paused\nsecond line`), { code: undefined });
    expect(describeError(error)).toBe('(HTTP code 409) conflict - container is paused');
    expect(describeError(`raw ${ESC}[?1049lstring`)).toBe('raw string');
  });
});
