import { createContext, useContext, type ReactNode } from 'react';
import { glyphsFor, type Glyphs } from './format/glyphs';
import { UNICODE_GLYPHS } from './format/glyphs';

export interface Display {
  glyphs: Glyphs;
  /** False for NO_COLOR or --no-color: no colours, only bold/dim/inverse. */
  color: boolean;
}

const DisplayContext = createContext<Display>({ glyphs: UNICODE_GLYPHS, color: true });

export function DisplayProvider(props: { ascii: boolean; color: boolean; children: ReactNode }) {
  const value: Display = { glyphs: glyphsFor(props.ascii), color: props.color };
  return <DisplayContext.Provider value={value}>{props.children}</DisplayContext.Provider>;
}

export function useDisplay(): Display {
  return useContext(DisplayContext);
}

/** NO_COLOR (https://no-color.org): set and not empty means no colours. */
export function colorAllowedByEnvironment(environment: NodeJS.ProcessEnv = process.env): boolean {
  const noColor = environment['NO_COLOR'];
  return noColor === undefined || noColor === '';
}
