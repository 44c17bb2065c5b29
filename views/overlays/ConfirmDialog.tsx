import { Box } from 'ink';
import { memo } from 'react';
import type { PendingConfirmation } from '../../src/store/slices/ui-slice';
import { serviceKeyOf } from '../../src/domain/types';
import { useDisplay } from '../display-context';
import { displayKeyName } from '../keys/key-press';
import { activeBindings } from '../keys/scopes';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { useOpsdeck, useOpsdeckStore } from '../store-context';
import { toneColor, type Tone } from '../theme';

const ACTION_TONES: Record<PendingConfirmation['action'], Tone> = { restart: 'warning', stop: 'critical', start: 'accent' };

/**
 * The y/N question before a container action, drawn over the middle of the body. Its
 * lines are padded to the dialog width so nothing of the panels below shows through.
 */
export const ConfirmDialog = memo(function ConfirmDialog(props: { width: number; height: number }) {
  const { glyphs, color } = useDisplay();
  const store = useOpsdeckStore();
  const confirmation = useOpsdeck((state) => state.ui.confirmation);
  const container = useOpsdeck((state) => (confirmation ? state.containers[confirmation.containerId] : undefined));
  const engineLabel = useOpsdeck((state) => (container ? (state.engines[container.engineId]?.label ?? container.engineId) : ''));
  if (!confirmation) return null;

  const dialogWidth = Math.min(64, Math.max(20, props.width - 4));
  const innerWidth = dialogWidth - 2;
  const tone = ACTION_TONES[confirmation.action];
  const verb = confirmation.action[0]?.toUpperCase() + confirmation.action.slice(1);
  const where = container ? `${serviceKeyOf(container).split('/').slice(1).join('/')} on ${engineLabel}` : confirmation.containerId.slice(0, 12);
  const keys = activeBindings(store.getState(), 'confirm')
    .map((binding) => `${displayKeyName(binding.keys[0] ?? '', glyphs.ascii)} ${binding.label.replace(/ \(.*\)$/, '')}`)
    .join('   ');
  const lines: Segment[][] = [
    [{ text: ` ${verb} container ${confirmation.containerName}? [y/N]`, bold: true, tone }],
    [{ text: ` ${where}`, dim: true }],
    [{ text: '' }],
    [{ text: ` ${keys}` }],
  ];
  const dialogHeight = lines.length + 2;
  return (
    <Box
      position="absolute"
      marginLeft={Math.max(0, Math.floor((props.width - dialogWidth) / 2))}
      marginTop={Math.max(0, Math.floor((props.height - dialogHeight) / 2))}
      flexDirection="column"
      width={dialogWidth}
      height={dialogHeight}
      borderStyle={glyphs.focusedBorder}
      borderColor={toneColor(tone, color)}
    >
      {lines.map((line, index) => (
        <RowText key={index} segments={fitSegments(line, innerWidth, glyphs.ellipsis)} />
      ))}
    </Box>
  );
});
