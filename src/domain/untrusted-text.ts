// Text from engines (container names, label values, log lines, error messages) is untrusted:
// a container can log `ESC]0;title BEL`, `ESC[2J` or `ESC[?1049l`, and written to the
// operator's terminal as it came, those bytes would retitle, clear or switch its screen.
// Adapters pass every such field through `toDisplayText` once, where it enters, so no
// output path (cockpit, `status`, `status --json`) can forget it.
//
// One pass over the code points, a small state machine (no backtracking regular
// expressions), so a megabyte of hostile input costs linear time.

const ESC = 0x1b;
const BEL = 0x07;
const CAN = 0x18;
const SUB = 0x1a;
const DEL = 0x7f;
const SPACE = 0x20;
const BACKSLASH = 0x5c;
/** 8-bit C1 introducers with a payload. */
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_PM = 0x9e;
const C1_APC = 0x9f;

/** Any code point that needs the slow path: C0, DEL, C1. */
const NEEDS_CLEANING = /[\u0000-\u001f\u007f-\u009f]/;

function isC0(code: number): boolean {
  return code < SPACE;
}

function isC1(code: number): boolean {
  return code >= 0x80 && code <= 0x9f;
}

/** Tab, line feed, vertical tab, form feed, carriage return: shown as one space. */
function isSpacing(code: number): boolean {
  return code >= 0x09 && code <= 0x0d;
}

type Mode =
  | 'text'
  /** After ESC. */
  | 'escape'
  /** ESC followed by intermediate bytes (0x20-0x2f), e.g. `ESC ( B`: waits for the final byte. */
  | 'escape-intermediate'
  /** Control sequence (ESC [ or 0x9b): parameter and intermediate bytes up to a final byte. */
  | 'csi'
  /** Control string (OSC, DCS, SOS, PM, APC): payload up to BEL, ST (ESC \ or 0x9c), CAN or SUB. */
  | 'string';

/**
 * The readable text of an untrusted field, safe to write to a terminal:
 * - complete escape sequences are removed: CSI (`ESC [` ... final byte), control strings
 *   (OSC `ESC ]`, DCS `ESC P`, SOS `ESC X`, PM `ESC ^`, APC `ESC _`) with their payload up to
 *   BEL or ST, and two-byte (`ESC 7`, `ESC c`) or intermediate (`ESC ( B`) escapes;
 * - the same for 8-bit C1 introducers (0x9b CSI, 0x9d OSC, 0x90 DCS, ...), and every other
 *   C1 control (U+0080-U+009F) is removed;
 * - a lone ESC, the other C0 controls and DEL are removed; tab, line feed, vertical tab,
 *   form feed and carriage return become a space (CR LF one space), so one field stays one line.
 *
 * A field is complete when it gets here (a whole log line, a whole label value), so a
 * sequence left open at its end is not waiting for more input: an unterminated CSI is
 * dropped, and an unterminated control string loses only its introducer, its payload is
 * kept as text (with any control in it removed) rather than hiding the rest of the line.
 */
export function toDisplayText(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  let output = '';
  /** Start of the text run not yet copied to output (text mode only). */
  let runStart = 0;
  let mode = 'text' as Mode;
  /** Input index where the open control string's payload starts. */
  let stringPayloadStart = 0;
  let index = 0;
  const length = text.length;

  const openString = (payloadIndex: number): void => {
    mode = 'string';
    stringPayloadStart = payloadIndex;
  };

  while (index < length) {
    const code = text.charCodeAt(index);
    switch (mode) {
      case 'text': {
        if (!(isC0(code) || code === DEL || isC1(code))) {
          index += 1;
          continue;
        }
        output += text.slice(runStart, index);
        index += 1;
        if (code === ESC) mode = 'escape';
        else if (code === C1_CSI) mode = 'csi';
        else if (code === C1_OSC || code === C1_DCS || code === C1_SOS || code === C1_PM || code === C1_APC) openString(index);
        else if (code === 0x0d && text.charCodeAt(index) === 0x0a) {
          output += ' ';
          index += 1;
        } else if (isSpacing(code)) output += ' ';
        // Every other C0, DEL and C1 is dropped.
        runStart = index;
        continue;
      }
      case 'escape': {
        index += 1;
        if (code === 0x5b /* [ */) mode = 'csi';
        else if (code === 0x5d /* ] */ || code === 0x50 /* P */ || code === 0x58 /* X */ || code === 0x5e /* ^ */ || code === 0x5f /* _ */) {
          openString(index);
        } else if (code >= 0x20 && code <= 0x2f) mode = 'escape-intermediate';
        else if (code >= 0x30 && code <= 0x7e) mode = 'text';
        else {
          // A lone ESC: dropped, and what follows it is read again as text (it may be ESC again).
          mode = 'text';
          index -= 1;
        }
        runStart = index;
        continue;
      }
      case 'escape-intermediate': {
        index += 1;
        if (code >= 0x20 && code <= 0x2f) continue;
        if (code >= 0x30 && code <= 0x7e) {
          mode = 'text';
        } else {
          mode = 'text';
          index -= 1;
        }
        runStart = index;
        continue;
      }
      case 'csi': {
        index += 1;
        if (code >= 0x20 && code <= 0x3f) continue; // parameter and intermediate bytes
        if (code >= 0x40 && code <= 0x7e) {
          mode = 'text';
          runStart = index;
          continue;
        }
        // As terminals do, C0 controls inside a sequence are not part of it (dropped here)
        // and DEL is ignored; CAN and SUB cancel the sequence.
        if ((isC0(code) && code !== ESC && code !== CAN && code !== SUB) || code === DEL) continue;
        // ESC or a C1 starts a new sequence, CAN/SUB cancel, anything else ends a malformed one:
        // read it again as text.
        mode = 'text';
        if (code !== CAN && code !== SUB) index -= 1;
        runStart = index;
        continue;
      }
      case 'string': {
        index += 1;
        if (code === BEL || code === C1_ST || code === CAN || code === SUB) {
          mode = 'text';
          runStart = index;
          continue;
        }
        if (code === ESC) {
          // ESC \ is the string terminator; ESC followed by anything else ends the string and
          // starts a new escape.
          if (text.charCodeAt(index) === BACKSLASH) {
            index += 1;
            mode = 'text';
          } else mode = 'escape';
          runStart = index;
          continue;
        }
        continue;
      }
    }
  }
  if (mode === 'text') output += text.slice(runStart, length);
  else if (mode === 'string') output += withoutControls(text.slice(stringPayloadStart));
  return output;
}

/** The payload of an unterminated control string: every control removed, spacing as one space. */
function withoutControls(text: string): string {
  return text.replace(/\r\n|[\u0009-\u000d]/g, ' ').replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** `toDisplayText` for optional fields. */
export function toDisplayTextOrUndefined(text: string | undefined): string | undefined {
  return text === undefined ? undefined : toDisplayText(text);
}
