// Calls exports that move f32/f64 bit patterns through loads, stores, reinterprets, locals,
// globals and calls, on the engine API; i32/i64 at the boundary so no JS number touches the bits.
import { Engine, Linker, Module, Store } from '/dist/browser/purewasm.js';

/** `calls`: [export name, argument bits as a decimal string or null]; i64 exports take and return BigInt. */
window.nanResults = (bytes, tier, calls) => {
  const engine = new Engine(tier === undefined ? {} : { tier });
  const module = new Module(engine, new Uint8Array(bytes));
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, module);
  const memory = instance.getMemory(store, 'memory');
  const results = calls.map(([name, bits]) => {
    const func = instance.getFunc(store, name);
    const wide = name.startsWith('f64');
    const [result] = func.call(store, bits === null ? [] : [wide ? BigInt.asIntN(64, BigInt(bits)) : Number(BigInt.asIntN(32, BigInt(bits)))]);
    return wide ? BigInt.asUintN(64, result).toString() : String(result >>> 0);
  });
  const view = new DataView(memory.data().buffer);
  return {
    tier: engine.tier,
    results,
    // Where f32_path and f64_path stored their last value, read by the host.
    memory: { f32: String(view.getUint32(0, true)), f64: view.getBigUint64(8, true).toString() },
  };
};
window.nanReady = true;
