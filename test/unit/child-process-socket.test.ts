// A child's stdin/stdout as one HTTP connection's socket: an answer that starts with HTTP/
// passes whole, however its first bytes are split; anything else in front (a remote login
// file's banner) ends the connection with an error naming what came instead.
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ChildProcessSocket } from '../../src/adapters/ssh/child-process-socket';

/** A child that writes `pieces` to stdout a little apart, then stays until stdin ends. */
function writer(pieces: string[]): ChildProcessSocket {
  const script = `const pieces = ${JSON.stringify(pieces)}; let i = 0; const next = () => { if (i < pieces.length) { process.stdout.write(pieces[i++]); setTimeout(next, 30); } }; next(); process.stdin.resume(); process.stdin.on('end', () => process.exit(0));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  return new ChildProcessSocket(child, async (stderr, code) => new Error(`exited ${code}: ${stderr}`), (output) => new Error(`noise: ${output}`));
}

function read(socket: ChildProcessSocket, until: (text: string) => boolean): Promise<{ text: string; error?: Error }> {
  return new Promise((resolve) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      if (until(text)) {
        socket.destroy();
        resolve({ text });
      }
    });
    socket.on('error', (error) => resolve({ text, error }));
  });
}

describe('child process socket', () => {
  it('passes an HTTP answer whole when its first bytes arrive split', async () => {
    const answer = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK';
    const { text, error } = await read(writer(['H', 'TT', 'P/1.1 200 OK\r\n', 'Content-Length: 2\r\n\r\nOK']), (seen) => seen.endsWith('OK\r\n\r\nOK') || seen.length >= answer.length);
    expect(error).toBeUndefined();
    expect(text).toBe(answer);
  });

  it('ends the connection naming the first line of what came before the answer', async () => {
    const { text, error } = await read(writer(['\n', 'Welcome to the \u001b[1mbastion\r\n', 'HTTP/1.1 200 OK\r\n\r\n']), () => false);
    expect(text).toBe('');
    expect(error?.message).toBe('noise: "Welcome to the bastion"');
  });

  it('says blank lines when only empty lines came before the answer', async () => {
    const { error } = await read(writer(['\r\n', 'HTTP/1.1 200 OK\r\n\r\n']), () => false);
    expect(error?.message).toBe('noise: blank lines');
  });
});
