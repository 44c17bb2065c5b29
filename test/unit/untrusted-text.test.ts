import { describe, expect, it } from 'vitest';
import { toDisplayText } from '../../src/domain/untrusted-text';

const ESC = '\u001b';
const BEL = '\u0007';
const ST = `${ESC}\\`;

/** Anything a terminal would act on rather than print. */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

describe('toDisplayText (untrusted text from engines)', () => {
  it('keeps plain text, Unicode included, as it is', () => {
    const text = 'ERROR Connection refused to 10.0.0.3:5432 — 日本語 ✓ e\u0301';
    expect(toDisplayText(text)).toBe(text);
    expect(toDisplayText('')).toBe('');
  });

  it('removes the sequences a hostile log line uses on the operator terminal', () => {
    expect(toDisplayText(`${ESC}]0;pwned${BEL}ERROR disk full`)).toBe('ERROR disk full');
    expect(toDisplayText(`before${ESC}[2Jafter`)).toBe('beforeafter');
    expect(toDisplayText(`a${ESC}[?1049lb${ESC}[?1049hc`)).toBe('abc');
    expect(toDisplayText(`${ESC}[31mred${ESC}[0m ${ESC}[1;38;5;196mbold${ESC}[m`)).toBe('red bold');
    expect(toDisplayText(`${ESC}]8;;http://127.0.0.1/${ST}link${ESC}]8;;${ST}`)).toBe('link');
    expect(toDisplayText(`x${ESC}[3 qy`)).toBe('xy'); // intermediate byte (cursor style)
  });

  it('removes DCS, APC, PM and SOS strings with their payload', () => {
    expect(toDisplayText(`a${ESC}P1$qm${ST}b`)).toBe('ab');
    expect(toDisplayText(`a${ESC}_Gf=100;AAAA${ST}b`)).toBe('ab');
    expect(toDisplayText(`a${ESC}^private${ST}b`)).toBe('ab');
    expect(toDisplayText(`a${ESC}Xstring${BEL}b`)).toBe('ab');
  });

  it('removes two-byte and intermediate escapes and a lone ESC', () => {
    expect(toDisplayText(`a${ESC}cb`)).toBe('ab'); // full reset
    expect(toDisplayText(`a${ESC}7b${ESC}8c`)).toBe('abc');
    expect(toDisplayText(`a${ESC}(0b${ESC}(Bc`)).toBe('abc'); // line-drawing charset
    expect(toDisplayText(`a${ESC}#8b`)).toBe('ab'); // screen alignment test
    expect(toDisplayText(`tail${ESC}`)).toBe('tail');
    expect(toDisplayText(`${ESC}${ESC}[2Jok`)).toBe('ok');
    expect(toDisplayText(`a${ESC}\u00e9b`)).toBe('a\u00e9b');
  });

  it('removes 8-bit C1 controls, CSI and OSC with their payload', () => {
    expect(toDisplayText('a\u009b2Jb')).toBe('ab');
    expect(toDisplayText('a\u009b?1049lb')).toBe('ab');
    expect(toDisplayText('a\u009d0;title\u0007b')).toBe('ab');
    expect(toDisplayText('a\u009d0;title\u009cb')).toBe('ab');
    expect(toDisplayText('a\u0090q\u009cb')).toBe('ab');
    expect(toDisplayText('a\u0085b\u008ec\u0080d')).toBe('abcd');
  });

  it('turns tabs and line breaks inside a field into spaces and drops other controls', () => {
    expect(toDisplayText('key\tvalue')).toBe('key value');
    expect(toDisplayText('line one\r\nline two\nthree\rfour')).toBe('line one line two three four');
    expect(toDisplayText(`bell${BEL} nul\u0000 del\u007f bs\b`)).toBe('bell nul del bs');
  });

  it('handles sequences split oddly', () => {
    // Controls inside a CSI are not part of it; the sequence still ends at its final byte.
    expect(toDisplayText(`a${ESC}[2\nJb`)).toBe('ab');
    expect(toDisplayText(`a${ESC}[1;${ESC}[2Jb`)).toBe('ab');
    // CAN cancels a sequence.
    expect(toDisplayText(`a${ESC}[12\u0018Jb`)).toBe('aJb');
    // An escape that starts inside an OSC ends it and is removed too.
    expect(toDisplayText(`a${ESC}]0;x${ESC}[2Jb`)).toBe('ab');
    // A sequence cut at the end of the field.
    expect(toDisplayText(`ok${ESC}[`)).toBe('ok');
    expect(toDisplayText(`ok${ESC}[38;5`)).toBe('ok');
    expect(toDisplayText('ok\u009b')).toBe('ok');
    expect(toDisplayText(`ok${ESC}(`)).toBe('ok');
    // A non-ASCII character ends a malformed CSI and is kept.
    expect(toDisplayText(`a${ESC}[1€b`)).toBe('a€b');
  });

  it('keeps the payload of an unterminated control string as text, without its controls', () => {
    expect(toDisplayText(`ERROR ${ESC}]0;still readable`)).toBe('ERROR 0;still readable');
    expect(toDisplayText('x\u009dtail\u009dmore\u0085')).toBe('xtailmore');
    expect(toDisplayText(`x${ESC}Pdata\twith tab`)).toBe('xdata with tab');
  });

  it('never leaves a control character behind', () => {
    const pieces = [ESC, BEL, '[', ']', 'P', '\\', '\u009b', '\u009c', '\u009d', '\u0090', '\u0018', '\t', '\n', '0', ';', 'J', 'm', 'a', '\u007f', '\u0085'];
    let seed = 7;
    for (let sample = 0; sample < 2000; sample += 1) {
      let text = '';
      for (let index = 0; index < 12; index += 1) {
        seed = (seed * 1103515245 + 12345) % 2147483648;
        text += pieces[seed % pieces.length];
      }
      expect(CONTROL.test(toDisplayText(text)), JSON.stringify(text)).toBe(false);
    }
  });

  it('stays linear on long hostile input', () => {
    const cases = [
      `${ESC}[`.repeat(1) + '1;'.repeat(200_000),
      '\u009d'.repeat(400_000),
      `${ESC}]`.repeat(200_000),
      `${ESC}`.repeat(400_000),
      `x${ESC}[mx`.repeat(100_000),
      'a\u009db'.repeat(130_000),
    ];
    for (const text of cases) {
      const started = performance.now();
      const result = toDisplayText(text);
      expect(CONTROL.test(result)).toBe(false);
      // Quadratic behaviour would take minutes for 400 000 code points.
      expect(performance.now() - started).toBeLessThan(500);
    }
    expect(toDisplayText(`x${ESC}[mx`.repeat(100_000))).toBe('xx'.repeat(100_000));
  });
});
