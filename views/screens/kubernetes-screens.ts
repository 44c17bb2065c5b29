// The Kubernetes parts of the screen stack: the replica count typed for a scale (a text input
// on the one model) and the detail screen of a Deployment, StatefulSet or pod.

import type { OpsdeckState } from '../../src/store/store-types';
import type { ScreenEntry } from './screen-stack';

function typedReplicas(state: OpsdeckState): string {
  const input = state.ui.cluster.scaleInput;
  if (!input) return '';
  return state.ui.textInput?.id === 'scale' ? state.ui.textInput.state.value : String(input.from);
}

export const SCALE_INPUT_SCREEN: ScreenEntry = {
  id: 'scale',
  title: 'Scale',
  isOpen: (state) => state.ui.cluster.scaleInput !== undefined,
  keyScopes: ['scale', 'input'],
  fallback: 'input.type',
  textInput: {
    id: 'scale',
    label: 'replicas: ',
    value: typedReplicas,
    // The value lives in the text input itself; an edit clears the last complaint.
    apply: (state) => {
      const input = state.ui.cluster.scaleInput;
      if (input?.problem !== undefined) state.openScaleInput({ target: input.target, from: input.from });
    },
    hint: (state) => {
      const input = state.ui.cluster.scaleInput;
      if (!input) return '';
      return input.problem ?? `scale ${input.target.kind} ${input.target.name} (now ${input.from})`;
    },
  },
};

export const RESOURCE_DETAIL_SCREEN: ScreenEntry = {
  id: 'resource-detail',
  title: 'Workload or pod detail',
  isOpen: (state) => state.ui.cluster.resourceDetail !== undefined,
  keyScopes: ['resource-detail', 'global'],
  body: 'resource',
  helpScopes: ['resource-detail', 'global'],
};
