import { Box } from 'ink';
import type { OpsdeckState } from '../../src/store/store-types';
import { useDisplay } from '../display-context';
import { displayKeyName } from '../keys/key-press';
import type { ScreenId } from '../screens/screen-stack';
import { activeBindings } from '../keys/scopes';
import { RowText } from '../RowText';
import { fitSegments, type Segment } from '../segments';
import { toneColor, type Tone } from '../theme';

/** "y confirm   n cancel": the keys a dialog's scope answers, from the key table. */
export function dialogKeyLine(state: OpsdeckState, scope: ScreenId, ascii: boolean): string {
  return activeBindings(state, scope)
    .map((binding) => `${displayKeyName(binding.keys[0] ?? '', ascii)} ${binding.label.replace(/ \(.*\)$/, '')}`)
    .join('   ');
}

/**
 * A question drawn over the middle of the body (the action confirmation, the run screen's own
 * y/N questions). Its lines are padded to the dialog width so nothing below shows through.
 */
export function CenteredDialog(props: { width: number; height: number; dialogWidth: number; tone: Tone; lines: readonly Segment[][] }) {
  const { glyphs, color } = useDisplay();
  const dialogHeight = props.lines.length + 2;
  return (
    <Box
      position="absolute"
      marginLeft={Math.max(0, Math.floor((props.width - props.dialogWidth) / 2))}
      marginTop={Math.max(0, Math.floor((props.height - dialogHeight) / 2))}
      flexDirection="column"
      width={props.dialogWidth}
      height={dialogHeight}
      borderStyle={glyphs.focusedBorder}
      borderColor={toneColor(props.tone, color)}
    >
      {props.lines.map((line, index) => (
        <RowText key={index} segments={fitSegments(line, props.dialogWidth - 2, glyphs.ellipsis)} />
      ))}
    </Box>
  );
}
