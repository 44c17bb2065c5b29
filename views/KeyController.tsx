import { useApp, useInput } from 'ink';
import { useCallback, useEffect, type RefObject } from 'react';
import type { CommandContext, Viewport } from './keys/command-context';
import { dispatchKey } from './keys/dispatch';
import { toKeyPresses, type InkKey } from './keys/key-press';
import { useActionExecutor, useOpsdeck, useOpsdeckStore } from './store-context';

/**
 * The single keyboard listener: every key goes through dispatchKey and the key table.
 * Also leaves the app when someone else asked the store to quit (signal, runtime).
 */
export function KeyController(props: { viewport: RefObject<Viewport> }) {
  const store = useOpsdeckStore();
  const executor = useActionExecutor();
  const { exit } = useApp();
  const quitRequested = useOpsdeck((state) => state.ui.quitRequested);

  const onInput = useCallback(
    (input: string, key: InkKey) => {
      for (const press of toKeyPresses(input, key)) {
        const context: CommandContext = { store, executor, exit, viewport: props.viewport.current, press };
        dispatchKey(context);
      }
    },
    [store, executor, exit, props.viewport],
  );
  useInput(onInput);

  useEffect(() => {
    if (quitRequested) exit();
  }, [quitRequested, exit]);

  return null;
}
