import { useStdout } from 'ink';
import { useEffect, useState } from 'react';

export const DEFAULT_COLUMNS = 80;
export const DEFAULT_ROWS = 24;
/** Resizes arrive in bursts while a window is dragged: lay out once they settle. */
export const RESIZE_DEBOUNCE_MS = 100;

export interface TerminalSize {
  width: number;
  height: number;
}

/**
 * Terminal size from stdout (80x24 when unknown), updated 100 ms after the last 'resize'.
 * `override` fixes either dimension (tests, embedding).
 */
export function useTerminalSize(override: { width?: number | undefined; height?: number | undefined }): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState<TerminalSize>(() => readSize(stdout));
  const fixed = override.width !== undefined && override.height !== undefined;

  useEffect(() => {
    if (fixed) return;
    let timer: NodeJS.Timeout | undefined;
    const onResize = (): void => {
      if (timer) clearTimeout(timer);
      timer = setTimeout(() => {
        timer = undefined;
        const next = readSize(stdout);
        setSize((previous) => (previous.width === next.width && previous.height === next.height ? previous : next));
      }, RESIZE_DEBOUNCE_MS);
    };
    stdout.on('resize', onResize);
    return () => {
      if (timer) clearTimeout(timer);
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);

  return { width: override.width ?? size.width, height: override.height ?? size.height };
}

function readSize(stdout: NodeJS.WriteStream): TerminalSize {
  return { width: stdout.columns || DEFAULT_COLUMNS, height: stdout.rows || DEFAULT_ROWS };
}
