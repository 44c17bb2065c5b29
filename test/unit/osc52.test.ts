// The clipboard sequence: base64 of the cleaned text, BEL-terminated; tmux's passthrough when asked.
import { describe, expect, it } from 'vitest';
import { clipboardText, MAX_CLIPBOARD_BYTES, osc52Sequence, terminalClipboard } from '../../src/support/osc52';

const decode = (sequence: string) => Buffer.from(sequence.replace(/^\u001b\]52;c;/, '').replace(/\u0007$/, ''), 'base64').toString('utf8');

describe('OSC 52', () => {
  it('sends the text as base64, lines kept, escape sequences and controls removed', () => {
    const sequence = osc52Sequence('🚨 INCIDENT DETECTED\nImpact: api \u001b]52;c;ZXZpbA==\u0007down\u001b[31m\r');
    expect(sequence.startsWith('\u001b]52;c;')).toBe(true);
    expect(sequence.endsWith('\u0007')).toBe(true);
    expect(decode(sequence)).toBe('🚨 INCIDENT DETECTED\nImpact: api down ');
  });

  it('wraps the sequence in tmux passthrough only under tmux with OPSDECK_OSC52_PASSTHROUGH=1', () => {
    const written: string[] = [];
    terminalClipboard((data) => written.push(data), { TMUX: '/tmp/tmux-0/default,1,0', OPSDECK_OSC52_PASSTHROUGH: '1' }).copy('hello');
    terminalClipboard((data) => written.push(data), { TMUX: '/tmp/tmux-0/default,1,0' }).copy('hello');
    expect(written[0]).toBe(`\u001bPtmux;\u001b\u001b]52;c;${Buffer.from('hello').toString('base64')}\u0007\u001b\\`);
    expect(written[1]).toBe(`\u001b]52;c;${Buffer.from('hello').toString('base64')}\u0007`);
  });

  it('cuts a long report at a line within the bound', () => {
    const text = Array.from({ length: 5000 }, (_, index) => `line ${index} ${'x'.repeat(20)}`).join('\n');
    const kept = clipboardText(text);
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MAX_CLIPBOARD_BYTES);
    expect(text.startsWith(kept)).toBe(true);
    expect(kept.endsWith('x')).toBe(true);
  });
});
