// Values provided by test/engine/global-setup.ts to every test file (`inject('dockerHost')`).
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** unix:// address of the shared private dockerd; project `shop` (stack.mjs) is running on it. */
    dockerHost: string;
    /** unix:// address of the shared private podman service (Docker-compatible API). */
    podmanHost: string;
    /** Its engine directory: pass it to podman() from podman-engine.mjs to run the podman CLI on it. */
    podmanDir: string;
    /** The shared Kubernetes control plane's kubeconfig (lab/kube-engine.mjs); see test/support/kube.ts. */
    kubeconfig: string;
    /** Its main apiserver, https://127.0.0.1:PORT. */
    kubeServer: string;
    /** Its contexts: `admin` (system:masters, current) and `viewer` (ClusterRole view: get, list, watch). */
    kubeContexts: { admin: string; viewer: string };
    /** Its run directory: startExtraApiserver(kubeRunDir) adds an apiserver of a test's own on the same etcd. */
    kubeRunDir: string;
    /** The shared Prometheus (lab/prometheus-engine.mjs), http://127.0.0.1:PORT: scrapes the exporter every 1 s, rule HighErrorRate. */
    prometheusUrl: string;
    /** The shared Alertmanager that Prometheus sends to, http://127.0.0.1:PORT (no clustering, group_wait 1 s). */
    alertmanagerUrl: string;
    /** The test exporter: setScenario(exporterUrl, NAME, values) from lab/prometheus-engine.mjs; use a scenario name of your own. */
    exporterUrl: string;
  }
}
