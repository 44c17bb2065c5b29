// Source patches to dependencies other than Ink's renderer, applied while bundling (see
// bundle-patches.mjs, which applies them): code opsdeck never runs left out of the bundle, so it is
// not compiled on every start (docker-modem's ssh2 transport, dockerode's BuildKit code, zod's
// non-English locales), and Yoga's wasm decoded without touching fetch().
export const LIBRARY_PATCHES = [
  {
    file: /docker-modem[\\/]lib[\\/]modem\.js$/,
    // Not even bundled: its ~0.6 MB (ssh2, tweetnacl, bcrypt-pbkdf, asn1) were compiled on every
    // start with the Docker chunk. opsdeck's ssh:// engines take the system ssh (docker-connection.ts).
    why: "docker-modem's ssh2 transport left out of the bundle: opsdeck never asks for it (ssh:// engines use the system ssh)",
    find: "  ssh = require('./ssh'),",
    replace: "  ssh = function () { throw new Error('opsdeck: docker-modem\\'s ssh2 transport is not bundled (ssh:// engines use the system ssh)'); },",
  },
  {
    file: /docker-modem[\\/]lib[\\/]modem\.js$/,
    // util.inspect of every request's options (showHidden, depth: null: the agent, its sockets) ran
    // for a debug line nobody reads: ~0.5-2.5 ms of CPU per request, 16 inspects and a log stream per
    // container on connect (73 ms of the 200 ms between the list and the first frame at 200 containers).
    why: "docker-modem formats each request for its debug log only when DEBUG=modem is on",
    find: "  debug('Sending: %s', util.inspect(options, {",
    replace: "  if (debug.enabled) debug('Sending: %s', util.inspect(options, {",
  },
  {
    file: /dockerode[\\/]lib[\\/]docker\.js$/,
    // Not even bundled: its ~0.8 MB (gRPC, protobufjs) were compiled on every start with the Docker chunk.
    why: 'BuildKit sessions (gRPC, protobufjs) left out of the bundle: opsdeck never starts a build',
    find: "  withSession = require('./session'),",
    replace: "  withSession = function () { throw new Error('opsdeck: BuildKit sessions are not bundled'); },",
  },
  {
    file: /dockerode[\\/]lib[\\/]docker\.js$/,
    // protobufjs and long (~0.2 MB) decode BuildKit progress; opsdeck pulls with docker.modem.followProgress.
    why: "docker.followProgress's BuildKit decoder left out of the bundle: opsdeck never calls it",
    find: "  var buildkit = require('./buildkit');",
    replace: "  var buildkit = { followProgress: function () { throw new Error('opsdeck: BuildKit progress is not bundled'); } };",
  },
  // zod's messages in its 40-odd languages (~0.34 MB, compiled on every start with the config
  // schemas): opsdeck speaks English, the locale zod registers by itself (classic/schemas.js).
  {
    file: /zod[\\/]v4[\\/]core[\\/]index\.js$/,
    why: "zod's locales other than English left out of the bundle (z.core.locales.en stays)",
    find: 'export * as locales from "../locales/index.js";',
    replace: 'import opsdeckEnglish from "../locales/en.js";\nexport const locales = { en: opsdeckEnglish };',
  },
  {
    file: /zod[\\/]v4[\\/]classic[\\/]external\.js$/,
    why: "zod's locales other than English left out of the bundle (z.locales.en stays)",
    find: 'export * as locales from "../locales/index.js";',
    replace: 'import opsdeckEnglish from "../locales/en.js";\nexport const locales = { en: opsdeckEnglish };',
  },
  // client-node's KubeConfig reaches its generated API (~0.62 MB of models and clients, 725
  // modules evaluated at load) only through makeApiClient, and node-fetch (with whatwg-url's
  // 0.3 MB tr46 table, parsed at load) only through applyToFetchOptions: opsdeck calls neither
  // (its requests go through applyToHTTPSOptions, src/adapters/kubernetes/kube-connection.ts).
  // The chunk is loaded before a Kubernetes engine's first list request.
  {
    file: /@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/,
    why: "client-node's generated API left out of the bundle: opsdeck never calls KubeConfig.makeApiClient",
    find: "import { createConfiguration, ServerConfiguration, } from './gen/index.js';",
    replace:
      "const opsdeckNoGeneratedApi = function () { throw new Error('opsdeck: client-node\\'s generated API is not bundled (KubeConfig.makeApiClient)'); };\nconst createConfiguration = opsdeckNoGeneratedApi, ServerConfiguration = opsdeckNoGeneratedApi;",
  },
  {
    file: /@kubernetes[\\/]client-node[\\/]dist[\\/]config\.js$/,
    why: "node-fetch left out of the bundle: opsdeck never calls KubeConfig.applyToFetchOptions",
    find: "import { Headers } from 'node-fetch';",
    replace: "const Headers = function () { throw new Error('opsdeck: node-fetch is not bundled (KubeConfig.applyToFetchOptions)'); };",
  },
  {
    file: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/,
    why: "Yoga's wasm is embedded as base64: decode it, never fetch() its data: URL (touching fetch loads Node's undici before the first frame)",
    find: 'function ya(){return w||"function"!=typeof fetch?',
    replace: 'function ya(){return w||true?',
  },
];
