import { Box } from 'ink';
import { memo, useMemo } from 'react';
import type { StatusMessage } from '../src/store/slices/ui-slice';
import { selectShownStatus } from '../src/store/selectors/status-message';
import type { OpsdeckState } from '../src/store/store-types';
import { splitAtCursor } from '../src/store/text-input';
import { useDisplay } from './display-context';
import { displayKeyName } from './keys/key-press';
import { hintEntries } from './keys/scopes';
import { topScreen } from './screens/screen-stack';
import { RowText } from './RowText';
import { fitSegments, segmentsWidth, type Segment } from './segments';
import { textWidth } from './format/text';
import { useAvailableServices, useOpsdeck } from './store-context';
import type { Tone } from './theme';

const STATUS_TONES: Record<StatusMessage['severity'], Tone> = { info: 'accent', warning: 'warning', error: 'critical' };

/** Hint entries of the current state as one string ("j/k\tmove\n..."): a primitive, so the bar re-renders only when hints change. */
function useHintText(ascii: boolean): string {
  const services = useAvailableServices();
  return useOpsdeck((state) =>
    hintEntries(state, undefined, services)
      .map((entry) => `${entry.keys.map((key) => displayKeyName(key, ascii)).join('/')}\t${entry.hint}`)
      .join('\n'),
  );
}

/** The line of the text input on top, split at the cursor ("before\nafter"): a primitive for the subscription. */
function inputLineOf(state: OpsdeckState): string {
  const input = topScreen(state).textInput;
  if (!input) return '';
  const edited = state.ui.textInput?.id === input.id ? state.ui.textInput.state : undefined;
  const { before, after } = splitAtCursor(edited ?? { value: input.value(state), cursor: Number.MAX_SAFE_INTEGER });
  return `${before}\n${after}`;
}

export interface HintText {
  keys: string;
  hint: string;
}

function hintWidth(entry: HintText): number {
  return textWidth(`${entry.keys} ${entry.hint}  `);
}

/**
 * The hints that fit in `width`, in table order. When some do not fit, the help hint is
 * kept (moved to the end): help lists every key.
 */
export function fitHints(entries: readonly HintText[], width: number): HintText[] {
  const total = entries.reduce((sum, entry) => sum + hintWidth(entry), 0);
  if (total <= width) return [...entries];
  const help = entries.find((entry) => entry.hint === 'help');
  let room = width - (help ? hintWidth(help) : 0);
  const result: HintText[] = [];
  for (const entry of entries) {
    if (entry === help) continue;
    const entryWidth = hintWidth(entry);
    if (entryWidth > room) break;
    result.push(entry);
    room -= entryWidth;
  }
  if (help) result.push(help);
  return result;
}

/**
 * The bottom line: the text input of the screen on top of the stack (filter, log search),
 * else the store's status message while it is shown, and the keys of that screen from the key table.
 */
export const HintBar = memo(function HintBar(props: { width: number }) {
  const { glyphs } = useDisplay();
  const hintText = useHintText(glyphs.ascii);
  const statusMessage = useOpsdeck(selectShownStatus);
  const inputLabel = useOpsdeck((state) => topScreen(state).textInput?.label);
  const inputLine = useOpsdeck(inputLineOf);
  const inputHint = useOpsdeck((state) => topScreen(state).textInput?.hint?.(state) ?? '');

  const segments = useMemo(() => {
    const cursor = glyphs.ascii ? '_' : '▏';
    const result: Segment[] = [{ text: ' ' }];
    if (inputLabel !== undefined) {
      const [before = '', after = ''] = inputLine.split('\n');
      result.push({ text: inputLabel, tone: 'accent', bold: true }, { text: before }, { text: cursor, tone: 'accent' }, { text: after }, { text: '   ' });
      if (inputHint !== '') result.push({ text: inputHint, dim: true }, { text: '   ' });
    }
    else if (statusMessage) {
      const statusWidth = Math.max(10, Math.floor(props.width * 0.5));
      result.push(...fitSegments([{ text: statusMessage.text, tone: STATUS_TONES[statusMessage.severity], bold: true }], statusWidth, glyphs.ellipsis, false));
      result.push({ text: `  ${glyphs.separator}  `, dim: true });
    }
    const entries = (hintText === '' ? [] : hintText.split('\n')).map((line): HintText => {
      const [keys = '', hint = ''] = line.split('\t');
      return { keys, hint };
    });
    for (const entry of fitHints(entries, props.width - segmentsWidth(result))) {
      result.push({ text: entry.keys, bold: true, tone: 'accent' }, { text: ` ${entry.hint}  ` });
    }
    return fitSegments(result, props.width, glyphs.ellipsis);
  }, [glyphs, hintText, statusMessage, inputLabel, inputLine, inputHint, props.width]);

  return (
    <Box width={props.width} height={1} overflow="hidden">
      <RowText segments={segments} />
    </Box>
  );
});
