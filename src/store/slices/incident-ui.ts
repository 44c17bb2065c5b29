// Incident mode's screen state, part of the ui slice: the form being filled (declare, note,
// who was contacted, resolve), whether the incident screen is open, and the due escalation
// level the operator put off for now (the header still says it is due). The incident itself
// is the incident service's (incident slice); nothing here journals.

export type IncidentFormKind = 'declare' | 'note' | 'escalate' | 'resolve';

export interface IncidentForm {
  kind: IncidentFormKind;
  /** Index of the focused field (see selectors/incident-form.ts for the fields of each kind). */
  field: number;
  values: Readonly<Record<string, string>>;
  /** The escalation level an `escalate` form answers. */
  level?: string | undefined;
  /** Why the last submit was not taken, shown under the fields. */
  error?: string | undefined;
}

export interface IncidentUiState {
  form: IncidentForm | undefined;
  screenOpen: boolean;
  /** A due level answered with "later": its dialog stays closed until another level falls due. */
  deferredLevel: string | undefined;
}

export const INITIAL_INCIDENT_UI: IncidentUiState = { form: undefined, screenOpen: false, deferredLevel: undefined };

export interface IncidentUiActions {
  setIncidentForm(form: IncidentForm | undefined): void;
  openIncidentScreen(open: boolean): void;
  deferEscalation(level: string | undefined): void;
}

type Update = (change: (incident: IncidentUiState) => Partial<IncidentUiState>) => void;

export function createIncidentUiActions(update: Update): IncidentUiActions {
  return {
    setIncidentForm: (form) => update(() => ({ form })),
    openIncidentScreen: (screenOpen) => update(() => ({ screenOpen })),
    deferEscalation: (deferredLevel) => update(() => ({ deferredLevel })),
  };
}
