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
  }
}
