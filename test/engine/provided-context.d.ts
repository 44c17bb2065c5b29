// Values provided by test/engine/global-setup.ts to every test file (`inject('dockerHost')`).
export {};

declare module 'vitest' {
  export interface ProvidedContext {
    /** unix:// address of the shared private dockerd; project `shop` (stack.mjs) is running on it. */
    dockerHost: string;
  }
}
