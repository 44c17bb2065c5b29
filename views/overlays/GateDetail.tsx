import { memo } from 'react';
import { selectGateDetail } from '../../src/store/selectors/gate-panel';
import { useNow, useOpsdeck } from '../store-context';
import { DetailScreen } from './DetailScreen';
import { gateDetailLines } from './gate-detail-lines';

/** A gate's evidence, recovery and flips (enter in the gates panel), scrolled with j/k. */
export const GateDetail = memo(function GateDetail(props: { width: number; height: number }) {
  const detail = useOpsdeck(selectGateDetail);
  const scroll = useOpsdeck((state) => state.ui.gateDetail?.scroll ?? 0);
  const now = useNow();
  const innerWidth = Math.max(0, props.width - 2);
  const lines = detail ? gateDetailLines(detail, innerWidth, now) : [[{ text: ' this gate is no longer shown', dim: true }]];
  return <DetailScreen title={detail ? `Gate ${detail.gate.id}` : 'Gate'} lines={lines} width={props.width} height={props.height} scroll={scroll} />;
});
