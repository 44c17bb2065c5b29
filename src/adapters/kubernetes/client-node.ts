// The parts of @kubernetes/client-node that opsdeck runs, re-exported by name so that the bundler
// keeps only them (1.7 MB). A dynamic import of the package itself keeps all of it, 13.9 MB of
// generated models and APIs, held by V8 as ~27 MB of source text for as long as the cockpit runs.
// Imported only through loadClientNode (kube-connection.ts), on first use.
export { Exec, KubeConfig } from '@kubernetes/client-node';
