// A minimal terminal emulator: enough of VT100/xterm to follow what Ink writes
// (cursor moves, erase line/screen, alternate screen, SGR ignored except "inverse"/background
// tracking is not needed), so the benchmarks can ask "what does the screen show now?".
// No autowrap (a line longer than the terminal is clamped): Ink never writes past the width,
// and clamping is the safer failure mode when our width table disagrees with Ink's. After a
// full-width line the cursor waits past the last column (pending wrap), like tmux.

/** Display width of one code point (0, 1 or 2): a small wcwidth. */
export function charWidth(cp) {
  if (cp === 0) return 0;
  if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) return 0;
  // combining marks, zero-width joiners and variation selectors
  if (
    (cp >= 0x300 && cp <= 0x36f) ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0xfe00 && cp <= 0xfe0f) ||
    (cp >= 0x20d0 && cp <= 0x20ff) ||
    (cp >= 0xe0100 && cp <= 0xe01ef)
  )
    return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f680 && cp <= 0x1f6ff) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x1fa70 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd) ||
    cp === 0x2705 || cp === 0x274c || cp === 0x2b50 || cp === 0x23f3 || cp === 0x231b
  )
    return 2;
  return 1;
}

export class Screen {
  /** @param {number} cols @param {number} rows */
  constructor(cols = 120, rows = 40) {
    this.cols = cols;
    this.rows = rows;
    this.main = this.#blank();
    this.alt = this.#blank();
    this.grid = this.main;
    this.x = 0;
    this.y = 0;
    this.saved = { x: 0, y: 0 };
    this.inAlt = false;
    /** Unfinished escape sequence carried over between chunks. */
    this.pending = '';
    /** Counters of interesting sequences (full clears, alternate screen switches). */
    // syncEnd: ESC[?2026l, the end of one synchronized update (Ink wraps each frame in one).
    this.counts = { clearScreen: 0, clearScrollback: 0, altOn: 0, altOff: 0, syncEnd: 0, eraseLine: 0, eraseEndLine: 0 };
  }

  #blank() {
    return Array.from({ length: this.rows }, () => new Array(this.cols).fill(' '));
  }

  #clearRow(r, from = 0, to = this.cols) {
    const row = this.grid[r];
    for (let c = Math.max(0, from); c < Math.min(this.cols, to); c++) row[c] = ' ';
  }

  #scrollUp(n = 1) {
    for (let i = 0; i < n; i++) {
      this.grid.shift();
      this.grid.push(new Array(this.cols).fill(' '));
    }
  }

  #lineFeed() {
    if (this.y >= this.rows - 1) this.#scrollUp(1);
    else this.y++;
  }

  #clamp() {
    this.x = Math.max(0, Math.min(this.cols - 1, this.x));
    this.y = Math.max(0, Math.min(this.rows - 1, this.y));
  }

  #put(ch, w) {
    if (w === 0) return; // combining: ignored (text only)
    if (this.x >= this.cols) this.x = this.cols - 1; // no autowrap: clamp
    this.grid[this.y][this.x] = ch;
    if (w === 2 && this.x + 1 < this.cols) this.grid[this.y][this.x + 1] = '';
    this.x += w;
  }

  /** Feed bytes (as a string; decode with a streaming TextDecoder first). */
  write(str) {
    const s = this.pending + str;
    this.pending = '';
    let i = 0;
    const n = s.length;
    while (i < n) {
      const ch = s[i];
      const code = s.charCodeAt(i);
      if (code === 0x1b) {
        const consumed = this.#escape(s, i);
        if (consumed === 0) {
          this.pending = s.slice(i); // incomplete: wait for more
          return;
        }
        i += consumed;
        continue;
      }
      if (code < 0x20 || code === 0x7f) {
        if (ch === '\r') this.x = 0;
        else if (ch === '\n' || ch === '\v' || ch === '\f') this.#lineFeed();
        else if (ch === '\b') this.x = Math.max(0, Math.min(this.x, this.cols) - 1);
        else if (ch === '\t') this.x = Math.min(this.cols - 1, (Math.floor(this.x / 8) + 1) * 8);
        i++;
        continue;
      }
      const cp = s.codePointAt(i);
      const len = cp > 0xffff ? 2 : 1;
      this.#put(String.fromCodePoint(cp), charWidth(cp));
      i += len;
    }
  }

  /** @returns {number} characters consumed, 0 when the sequence is incomplete */
  #escape(s, i) {
    if (i + 1 >= s.length) return 0;
    const next = s[i + 1];
    if (next === '[') {
      let j = i + 2;
      while (j < s.length) {
        const c = s.charCodeAt(j);
        if (c >= 0x40 && c <= 0x7e) break;
        j++;
      }
      if (j >= s.length) return 0;
      this.#csi(s.slice(i + 2, j), s[j]);
      return j - i + 1;
    }
    if (next === ']' || next === 'P' || next === '_' || next === '^') {
      // OSC / DCS / APC / PM: up to BEL or ST
      for (let j = i + 2; j < s.length; j++) {
        if (s[j] === '\u0007') return j - i + 1;
        if (s[j] === '\u001b' && j + 1 < s.length && s[j + 1] === '\\') return j - i + 2;
        if (s[j] === '\u001b' && j + 1 >= s.length) return 0;
      }
      return 0;
    }
    if (next === '(' || next === ')' || next === '*' || next === '+' || next === '#') {
      return i + 2 < s.length ? 3 : 0;
    }
    switch (next) {
      case '7':
        this.saved = { x: this.x, y: this.y };
        break;
      case '8':
        this.x = this.saved.x;
        this.y = this.saved.y;
        break;
      case 'M': // reverse index
        if (this.y === 0) {
          this.grid.pop();
          this.grid.unshift(new Array(this.cols).fill(' '));
        } else this.y--;
        break;
      case 'D':
        this.#lineFeed();
        break;
      case 'E':
        this.x = 0;
        this.#lineFeed();
        break;
      case 'c':
        this.grid = this.inAlt ? (this.alt = this.#blank()) : (this.main = this.#blank());
        this.x = this.y = 0;
        break;
      default:
        break; // ESC = , ESC > and friends: ignored
    }
    return 2;
  }

  #csi(paramStr, final) {
    const priv = /^[?<>=]/.test(paramStr) ? paramStr[0] : '';
    const body = priv ? paramStr.slice(1) : paramStr;
    const params = body.split(';').map((p) => (p === '' ? undefined : Number.parseInt(p, 10)));
    const p1 = params[0] ?? 0;
    const n = Math.max(1, p1);
    if (priv === '?') {
      if (final === 'h' || final === 'l') {
        for (const p of params) {
          if (p === 2026 && final === 'l') this.counts.syncEnd++;
          if (p === 1049 || p === 1047 || p === 47) {
            if (final === 'h' && !this.inAlt) {
              this.counts.altOn++;
              this.saved = { x: this.x, y: this.y };
              this.inAlt = true;
              this.alt = this.#blank();
              this.grid = this.alt;
              this.x = this.y = 0;
            } else if (final === 'l' && this.inAlt) {
              this.counts.altOff++;
              this.inAlt = false;
              this.grid = this.main;
              this.x = this.saved.x;
              this.y = this.saved.y;
            }
          }
        }
      }
      return;
    }
    if (priv) return;
    switch (final) {
      case 'A':
        this.y -= n;
        break;
      case 'B':
        this.y += n;
        break;
      case 'C':
        this.x += n;
        break;
      case 'D':
        this.x = Math.min(this.x, this.cols - 1) - n;
        break;
      case 'E':
        this.y += n;
        this.x = 0;
        break;
      case 'F':
        this.y -= n;
        this.x = 0;
        break;
      case 'G':
      case '`':
        this.x = n - 1;
        break;
      case 'd':
        this.y = n - 1;
        break;
      case 'H':
      case 'f':
        this.y = Math.max(1, params[0] ?? 1) - 1;
        this.x = Math.max(1, params[1] ?? 1) - 1;
        break;
      case 'J':
        if (p1 === 0) {
          this.#clearRow(this.y, this.x);
          for (let r = this.y + 1; r < this.rows; r++) this.#clearRow(r);
        } else if (p1 === 1) {
          for (let r = 0; r < this.y; r++) this.#clearRow(r);
          this.#clearRow(this.y, 0, this.x + 1);
        } else {
          if (p1 === 2) this.counts.clearScreen++;
          if (p1 === 3) this.counts.clearScrollback++;
          for (let r = 0; r < this.rows; r++) this.#clearRow(r);
        }
        break;
      case 'K':
        if (p1 === 0) {
          this.counts.eraseEndLine++;
          this.#clearRow(this.y, this.x);
        } else if (p1 === 1) this.#clearRow(this.y, 0, this.x + 1);
        else {
          this.counts.eraseLine++;
          this.#clearRow(this.y);
        }
        break;
      case 'X':
        this.#clearRow(this.y, this.x, this.x + n);
        break;
      case 'P': {
        const row = this.grid[this.y];
        row.splice(this.x, n);
        while (row.length < this.cols) row.push(' ');
        break;
      }
      case '@': {
        const row = this.grid[this.y];
        row.splice(this.x, 0, ...new Array(n).fill(' '));
        row.length = this.cols;
        break;
      }
      case 'L':
        for (let k = 0; k < n; k++) {
          this.grid.splice(this.y, 0, new Array(this.cols).fill(' '));
          this.grid.pop();
        }
        break;
      case 'M':
        for (let k = 0; k < n; k++) {
          this.grid.splice(this.y, 1);
          this.grid.push(new Array(this.cols).fill(' '));
        }
        break;
      case 'S':
        this.#scrollUp(n);
        break;
      case 's':
        this.saved = { x: this.x, y: this.y };
        break;
      case 'u':
        this.x = this.saved.x;
        this.y = this.saved.y;
        break;
      default:
        break; // m (SGR), r, n, t, q ...: no effect on the text
    }
    // Only cursor movements clamp. After a full-width line the cursor stays just past the last
    // column (pending wrap, as tmux keeps it), so SGR + ESC[K there erase nothing.
    if ('ABCDEFGHfd`su'.includes(final)) this.#clamp();
  }

  /** The visible screen as text, one line per row, trailing spaces trimmed. */
  text() {
    return this.grid.map((row) => row.join('').replace(/\s+$/, '')).join('\n');
  }
}

/** Strip ANSI escape sequences from a string. */
export function stripAnsi(s) {
  // eslint-disable-next-line no-control-regex
  return s.replace(/\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)|\u001b[()*+#].|\u001b[@-_]/g, '');
}
