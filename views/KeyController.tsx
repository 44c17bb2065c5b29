import { useApp, useInput } from 'ink';
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { CommandContext, Viewport } from './keys/command-context';
import { dispatchKey } from './keys/dispatch';
import { toKeyPresses, type InkKey, type KeyPress } from './keys/key-press';
import { createPasteReader } from './keys/paste-reader';
import { useActionExecutor, useOpsdeck, useOpsdeckStore, usePlaybookService, useIncidentService, useGateScheduler, useClipboard } from './store-context';

/**
 * Numbers the reads of the terminal. Ink emits every event of one read synchronously, so
 * all events until the next microtask belong to the same read (the same chunk).
 */
function useReadCounter(): () => number {
  const state = useRef({ current: 0, open: false });
  return useCallback(() => {
    const counter = state.current;
    if (!counter.open) {
      counter.current += 1;
      counter.open = true;
      queueMicrotask(() => {
        counter.open = false;
      });
    }
    return counter.current;
  }, []);
}

/**
 * The single keyboard listener: every key goes through dispatchKey and the key table; a
 * bracketed paste arrives as one press with `paste` set (only text inputs take it).
 * Also leaves the app when someone else asked the store to quit (signal, runtime).
 */
export function KeyController(props: { viewport: RefObject<Viewport> }) {
  const store = useOpsdeckStore();
  const executor = useActionExecutor();
  const playbooks = usePlaybookService();
  const incidents = useIncidentService();
  const gates = useGateScheduler();
  const clipboard = useClipboard();
  const { exit } = useApp();
  const quitRequested = useOpsdeck((state) => state.ui.quitRequested);
  const pasteReader = useRef(createPasteReader());
  const nextRead = useReadCounter();

  const onInput = useCallback(
    (input: string, key: InkKey) => {
      const readNumber = nextRead();
      const reading = pasteReader.current.read(input, key);
      if (reading.kind === 'pending') return;
      const presses: KeyPress[] = reading.kind === 'paste' ? [{ name: '', text: reading.text, paste: true }] : toKeyPresses(input, key);
      for (const press of presses) {
        const context: CommandContext = { store, executor, playbooks, incidents, gates, clipboard, exit, viewport: props.viewport.current, press: { ...press, terminalRead: readNumber } };
        dispatchKey(context);
      }
    },
    [store, executor, playbooks, incidents, gates, clipboard, exit, props.viewport, nextRead],
  );
  useInput(onInput);

  useEffect(() => {
    if (quitRequested) exit();
  }, [quitRequested, exit]);

  return null;
}
