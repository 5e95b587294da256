// A page without modules: purewasm.global.js defines the global `purewasm`.
(function () {
  // (module (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
  var bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x07, 0x01, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x03, 0x02,
    0x01, 0x00, 0x07, 0x07, 0x01, 0x03, 0x61, 0x64, 0x64, 0x00, 0x00, 0x0a, 0x09, 0x01, 0x07, 0x00, 0x20, 0x00, 0x20,
    0x01, 0x6a, 0x0b,
  ]);
  var engine = new purewasm.Engine({ consumeFuel: true });
  var store = new purewasm.Store(engine);
  store.setFuel(100);
  var instance = new purewasm.Linker(engine).instantiate(store, new purewasm.Module(engine, bytes));
  var sum = instance.getFunc(store, 'add').call(store, [40, 2])[0];
  var installed = purewasm.install();
  var viaNamespace = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.add(20, 22);
  window.classicResult = {
    sum: sum,
    fuelUsed: 100 - store.getFuel(),
    installed: installed,
    viaNamespace: viaNamespace,
    entryPoints: ['Engine', 'install', 'WebAssembly', 'WasmRuntime', 'SandboxConfig', 'WASI', 'memfs'].filter(function (name) {
      return name in purewasm;
    }),
  };
})();
