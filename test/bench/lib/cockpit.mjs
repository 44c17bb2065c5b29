// Opsdeck-specific helpers: what a "complete frame" looks like, and starting the cockpit
// against the bench engine with a neutral home/cwd (no user opsdeck.yaml gets picked up).
import { PtySession, bundleCommand, startCockpit } from './pty.mjs';

/** The header says connected (not "connecting" / "disconnected"). */
export function isConnected(text) {
  return /(^|[^a-z])connected\b/i.test(text);
}

/** Distinct filler service names (svc-NNN) visible on the screen. */
export function visibleServices(text) {
  return new Set(text.match(/svc-\d{3}/g) ?? []).size;
}

/**
 * "First complete frame": the header says connected and the services panel shows the filler
 * containers (at least min(expected, 10) distinct svc-NNN names, or the count `expected`
 * next to the word services/containers).
 */
export function completeFrame(expected) {
  const need = Math.min(expected, 10);
  const countRe = new RegExp(`(\\b${expected}\\b[^\\n]{0,20}(services?|containers?|running))|((services?|containers?|running)[^\\n]{0,20}\\b${expected}\\b)`, 'i');
  return (text) => isConnected(text) && (visibleServices(text) >= need || countRe.test(text));
}

/** Start the cockpit in a 120x40 pty on the engine, HOME/cwd in the engine's work dir. */
export function openCockpit(engine, env = {}, extraArgs = []) {
  return startCockpit(engine.dockerHost, {
    cwd: engine.workDir,
    env: { HOME: engine.workDir, XDG_CONFIG_HOME: `${engine.workDir}/.config`, ...env },
    extraArgs,
  });
}

/**
 * "First complete frame" of a Kubernetes namespace: the header says connected, the services
 * panel's title counts every pod (`Services (10000)`) and a bench Deployment's row shows its
 * ready/desired replicas (`svc-001  deploy  498/500 ready`).
 */
export function kubeCompleteFrame(pods, replicas) {
  const title = new RegExp(`Services \\(${pods}\\)`);
  const workload = new RegExp(`svc-\\d{3}\\s+deploy\\s+\\d+/${replicas} ready`);
  return (text) => isConnected(text) && title.test(text) && workload.test(text);
}

/** The cockpit in a 120x40 pty on one namespace of a cluster (kubectl's flags), HOME/cwd in workDir. */
export function openKubeCockpit(cluster, namespace, workDir, env = {}) {
  return new PtySession([...bundleCommand(), '--kubeconfig', cluster.kubeconfig, '--context', cluster.context, '-n', namespace], {
    cwd: workDir,
    env: { HOME: workDir, XDG_CONFIG_HOME: `${workDir}/.config`, XDG_STATE_HOME: `${workDir}/.state`, KUBECONFIG: '', ...env },
  });
}
