// Records every WebAssembly.Memory a library instantiates, so its size can be read later.
// Import this module before the library: it wraps WebAssembly.Instance and instantiate().
export const memories = [];

function collect(instance) {
  for (const v of Object.values(instance.exports)) {
    if (v instanceof WebAssembly.Memory && !memories.includes(v)) memories.push(v);
  }
  return instance;
}

const RealInstance = WebAssembly.Instance;
WebAssembly.Instance = new Proxy(RealInstance, {
  construct(target, args) {
    return collect(Reflect.construct(target, args));
  },
});
const realInstantiate = WebAssembly.instantiate;
WebAssembly.instantiate = async function (...args) {
  const r = await realInstantiate.apply(WebAssembly, args);
  collect(r instanceof RealInstance ? r : r.instance);
  return r;
};
const realStreaming = WebAssembly.instantiateStreaming;
if (realStreaming) {
  WebAssembly.instantiateStreaming = async function (...args) {
    const r = await realStreaming.apply(WebAssembly, args);
    collect(r.instance);
    return r;
  };
}

/** Bytes of all wasm memories instantiated so far (they only ever grow). */
export function wasmBytes() {
  return memories.reduce((s, m) => s + m.buffer.byteLength, 0);
}
