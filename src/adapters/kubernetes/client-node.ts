// The parts of @kubernetes/client-node that opsdeck runs, imported from their own modules so that
// the bundler keeps only them and what they import (about 0.6 MB). Through the package's index
// (`export *` of every module, none marked free of side effects) the bundle kept its generated
// models and APIs too (1.5 MB, 725 modules evaluated before the first list request); a dynamic
// import of the package itself keeps all of it, 13.9 MB, held by V8 as ~27 MB of source text.
// Imported only through loadClientNode (kube-connection.ts), on first use.
export { KubeConfig } from '@kubernetes/client-node/dist/config.js';
export { Exec } from '@kubernetes/client-node/dist/exec.js';
