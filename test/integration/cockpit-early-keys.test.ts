// Keys pressed as the cockpit starts, before its playbooks, gate checks and incident mode are
// loaded (they load after the first frame, src/runtime/deferred-services.ts): nothing is lost or
// sent elsewhere. The bundled cockpit in a pseudo-terminal against the private dockerd: `p`
// written at spawn opens the playbook picker, which lists the shipped library once the catalog is
// read (a filter typed then finds one of it); Escape closes it (one picker, not two), and `:` then opens the command prompt as ever.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { runInPseudoTerminal, visibleText } from '../support/pty';

const dockerHost = inject('dockerHost');
const PLAYBOOK_TITLE = 'Restart a container gracefully and verify it';

describe('cockpit keys pressed while it starts', () => {
  it('p pressed at spawn opens the playbook picker, which lists the shipped playbooks once they are read', async () => {
    const state = mkdtempSync(path.join(os.tmpdir(), 'opsdeck-early-keys-'));
    const terminal = runInPseudoTerminal(['--docker-host', dockerHost], { env: { XDG_STATE_HOME: state } });
    try {
      terminal.write('p');
      await terminal.waitForOutput((output) => /Playbooks \([1-9]/.test(visibleText(output)), 45_000);
      // Narrowed to one playbook, so the check does not depend on where the list puts it (the
      // selected row's suggestions come first, and the suite's engine has other tests' containers).
      terminal.write('gracefully');
      await terminal.waitForOutput((output) => visibleText(output).includes(PLAYBOOK_TITLE), 20_000);
      // The services panel is hidden behind the picker; Escape brings it back (one picker was open).
      terminal.write('\u001b');
      await terminal.waitForOutput((output) => !visibleText(output).includes('Playbooks (') && /Services \(\d+/.test(visibleText(output)), 20_000);
      terminal.write(':');
      await terminal.waitForOutput((output) => visibleText(output).split('\n').some((row) => row.trimStart().startsWith(':')), 20_000);
      terminal.write('\u001b');
      // Escape and q read together are Alt+q: q goes once the prompt has closed.
      await terminal.waitForOutput((output) => !visibleText(output).split('\n').some((row) => row.trimStart().startsWith(':')), 20_000);
      terminal.write('q');
      const exited = await Promise.race([terminal.exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 20_000))]);
      expect(exited, `the cockpit did not quit on q; screen:\n${visibleText(terminal.output())}`).toBe(0);
    } finally {
      terminal.child.kill();
      rmSync(state, { recursive: true, force: true });
    }
  }, 120_000);
});
