// Ink patches, applied while bundling (see bundle-patches.mjs): a frame a key caused is drawn at
// once. Ink's render throttle behaves as a debounce with a maxWait, so a key arriving within 17 ms
// of any other commit waited a whole wait; stdin input now flags the next commit to flush.
export const KEY_FRAME_PATCHES = [
  {
    file: /ink[\\/]build[\\/]ink\.js$/,
    why: 'a frame a key caused is drawn at once: the render throttle (a debounce with a maxWait) held it a whole wait behind any commit of the 17 ms before',
    find: '            this.rootNode.onRender = () => {\n                this.hasPendingThrottledRender = true;\n                throttled();\n            };',
    replace:
      '            this.rootNode.onRender = () => {\n                this.hasPendingThrottledRender = true;\n                throttled();\n' +
      '                if (this.opsdeckInputPending) {\n                    this.opsdeckInputPending = false;\n                    throttled.flush();\n                }\n            };',
  },
  {
    file: /ink[\\/]build[\\/]ink\.js$/,
    why: 'the flag the input handler sets (stdin had bytes) and the next commit clears',
    find: '    hasPendingThrottledRender = false;\n',
    replace: '    hasPendingThrottledRender = false;\n    opsdeckInputPending = false;\n    opsdeckMarkInput = () => {\n        this.opsdeckInputPending = true;\n    };\n',
  },
  {
    file: /ink[\\/]build[\\/]ink\.js$/,
    why: 'hand the input flag to the App component, which reads stdin',
    find: 'onExit: this.handleAppExit }, node)',
    replace: 'onExit: this.handleAppExit, opsdeckOnInput: this.opsdeckMarkInput }, node)',
  },
  {
    file: /ink[\\/]build[\\/]components[\\/]App\.js$/,
    why: 'take the input flag',
    find: 'function App({ children, stdin, stdout, stderr, writeToStdout, writeToStderr, exitOnCtrlC, onExit, setCursorPosition, }) {',
    replace: 'function App({ children, stdin, stdout, stderr, writeToStdout, writeToStderr, exitOnCtrlC, onExit, setCursorPosition, opsdeckOnInput, }) {',
  },
  {
    file: /ink[\\/]build[\\/]components[\\/]App\.js$/,
    why: 'set the input flag when stdin had bytes, before their keys are handled',
    find: '        while ((chunk = stdin.read()) !== null) {\n',
    replace: '        while ((chunk = stdin.read()) !== null) {\n            opsdeckOnInput?.();\n',
  },
];
