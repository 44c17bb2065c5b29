// Colour carries severity: green ok, yellow warning, red critical, dim stale.
// Every colour goes through here so `color: false` (NO_COLOR) removes all of them.

import type { ConnectionState, GateStatus, HealthState, InstancePhase, Severity } from '../src/domain/types';

export type Tone = 'ok' | 'warning' | 'critical' | 'accent' | 'info';

const TONE_COLORS: Record<Tone, string> = {
  ok: 'green',
  warning: 'yellow',
  critical: 'red',
  accent: 'cyan',
  info: 'blue',
};

/** Ink colour name for a tone, or undefined when colours are off (or no tone). */
export function toneColor(tone: Tone | undefined, color: boolean): string | undefined {
  return color && tone ? TONE_COLORS[tone] : undefined;
}

export function severityTone(severity: Severity | undefined): Tone | undefined {
  if (severity === 'critical') return 'critical';
  if (severity === 'warning') return 'warning';
  return undefined;
}

export function phaseTone(phase: InstancePhase | undefined): Tone | undefined {
  switch (phase) {
    case 'running':
      return 'ok';
    case 'restarting':
    case 'crash-loop':
    case 'failed':
    case 'exited':
      return 'critical';
    case 'waiting':
    case 'pending':
      return 'warning';
    default:
      return undefined;
  }
}

export function healthTone(health: HealthState | undefined): Tone | undefined {
  if (health === 'healthy') return 'ok';
  if (health === 'unhealthy') return 'critical';
  if (health === 'starting') return 'warning';
  return undefined;
}

export function connectionTone(state: ConnectionState): Tone {
  if (state === 'connected') return 'ok';
  if (state === 'connecting') return 'warning';
  return 'critical';
}

/** A gate status's colour: pending and blocked gates have none (they are drawn dim). */
export function gateTone(status: GateStatus): Tone | undefined {
  if (status === 'pass') return 'ok';
  if (status === 'fail') return 'critical';
  if (status === 'warn' || status === 'unknown') return 'warning';
  return undefined;
}

/** Tone for a usage percentage against warning/critical levels. */
export function usageTone(percent: number | undefined, levels: { warning: number; critical: number }): Tone | undefined {
  if (percent === undefined || !Number.isFinite(percent)) return undefined;
  if (percent >= levels.critical) return 'critical';
  if (percent >= levels.warning) return 'warning';
  return 'ok';
}
