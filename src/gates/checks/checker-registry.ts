// Every gate check type and the checker that runs it. The scheduler looks a gate's checker up
// here by its check's type; checks of a type without a checker are the scheduler's to report.

import { createHostCommands } from '../../adapters/host/create-host-commands';
import type { HostCommands } from '../../adapters/host/host-commands';
import type { GateCheck, GateCheckType, GateChecker } from '../gate-types';
import { createBackupChecker } from './backup-check';
import { createBuiltInChecker } from './built-in-check';
import { createCertificateChecker } from './certificate-check';
import { READ_LIMIT_CHARACTERS } from './check-support';
import { createCommandChecker } from './command-check';
import { createContainerChecker } from './container-check';
import { createDiskChecker } from './disk-check';
import { createFileChecker } from './file-check';
import { createHttpChecker } from './http-check';
import { createTcpChecker } from './tcp-check';
import { alertmanagerChecker } from './alertmanager-check';
import { prometheusChecker } from './prometheus-check';

export interface GateCheckersOptions {
  /**
   * Host-side requests and commands. Default: host commands in read-only mode, since a gate
   * only reads (its commands run with `mutates: false`), bodies read up to 64 KiB.
   */
  host?: HostCommands;
}

export function createGateCheckers(options: GateCheckersOptions = {}): Map<GateCheckType, GateChecker> {
  const host = options.host ?? createHostCommands({ readOnly: true, maxBodyCharacters: READ_LIMIT_CHARACTERS });
  const checkers: GateChecker<GateCheck>[] = [
    createHttpChecker(host),
    createTcpChecker(host),
    createCommandChecker(host),
    createContainerChecker(),
    createCertificateChecker(),
    createBackupChecker(),
    createDiskChecker(),
    createFileChecker(),
    createBuiltInChecker(),
    // Through context.prometheus / context.alertmanager (the runtime's source clients).
    prometheusChecker,
    alertmanagerChecker,
  ];
  return new Map(checkers.map((checker) => [checker.type, checker]));
}
