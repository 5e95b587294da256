/** polywasm ships no types; it implements (part of) the standard WebAssembly JS API. */
declare module 'polywasm' {
  export const WebAssembly: typeof globalThis.WebAssembly;
}
