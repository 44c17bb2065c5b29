// Leading cells shared by list rows: selection marker and alert marker.

import type { Severity } from '../../src/domain/types';
import type { Glyphs } from '../format/glyphs';
import type { Segment } from '../segments';
import { severityTone } from '../theme';

/** `› ! ` : selection marker, alert marker, space (3 columns). */
export function leadingCells(selected: boolean, severity: Severity | undefined, glyphs: Glyphs): Segment[] {
  return [
    { text: selected ? glyphs.selected : ' ', bold: true, tone: selected ? 'accent' : undefined },
    { text: severity ? glyphs.alert : ' ', bold: true, tone: severityTone(severity) },
    { text: ' ' },
  ];
}

export const LEADING_WIDTH = 3;

export interface PanelProps {
  width: number;
  height: number;
  focused: boolean;
}
