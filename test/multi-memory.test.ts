/** Multi-memory (WebAssembly 3.0): memory indices on every memory instruction, per-memory data, limits over all memories. */
import { describe, expect, it } from 'vitest';
import { CompileError, Engine, Linker, Memory, Module, RuntimeError, Store } from '../src/index.js';
import { SandboxConfig, SandboxError, WasmRuntime } from '../src/host/sandbox/index.js';
import { wat } from './helpers/wat.js';

const PROGRAM = `(module
  (memory $a 1)
  (memory $b (export "b") 1 3)
  (memory $c 2)
  (data (memory $b) (i32.const 16) "bee")
  (data $passive "init")
  (func (export "load8") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
  (func (export "load0") (param i32) (result i32) (i32.load8_u $a (local.get 0)))
  (func (export "store64") (param i32 i64) (i64.store $c offset=8 (local.get 0) (local.get 1)))
  (func (export "load64") (param i32) (result i64) (i64.load $c offset=8 (local.get 0)))
  (func (export "copyBToC") (param i32 i32 i32) (memory.copy $c $b (local.get 0) (local.get 1) (local.get 2)))
  (func (export "fillC") (param i32 i32 i32) (memory.fill $c (local.get 0) (local.get 1) (local.get 2)))
  (func (export "initC") (param i32) (memory.init $c $passive (local.get 0) (i32.const 0) (i32.const 4)))
  (func (export "loadC") (param i32) (result i32) (i32.load8_u $c (local.get 0)))
  (func (export "sizes") (result i32 i32 i32) (memory.size $a) (memory.size $b) (memory.size $c))
  (func (export "growB") (param i32) (result i32) (memory.grow $b (local.get 0))))`;

function setup(engine = new Engine()) {
  const store = new Store(engine);
  const instance = new Linker(engine).instantiate(store, new Module(engine, wat(PROGRAM)));
  const call = (name: string, ...args: unknown[]) => instance.getFunc(store, name)!.call(store, args);
  return { store, instance, call };
}

describe('multi-memory', () => {
  it('addresses each memory by its index, with data segments per memory', () => {
    const { call, store, instance } = setup();
    expect(call('load8', 16)).toEqual([0x62]);
    expect(call('load0', 16)).toEqual([0]);
    call('store64', 100, 0x0123456789abcdefn);
    expect(call('load64', 100)).toEqual([0x0123456789abcdefn]);
    expect(call('sizes')).toEqual([1, 1, 2]);
    expect(call('growB', 2)).toEqual([1]);
    expect(call('growB', 1)).toEqual([-1]);
    expect(call('sizes')).toEqual([1, 3, 2]);
    expect((instance.getMemory(store, 'b') as Memory).size()).toBe(3);
  });

  it('copies between memories, fills and inits another memory', () => {
    const { call } = setup();
    call('copyBToC', 1000, 16, 3);
    expect([call('loadC', 1000), call('loadC', 1001), call('loadC', 1002)]).toEqual([[0x62], [0x65], [0x65]]);
    call('fillC', 2000, 7, 2);
    expect(call('loadC', 2001)).toEqual([7]);
    call('initC', 3000);
    expect(call('loadC', 3003)).toEqual([0x74]);
  });

  it('bounds-checks each memory against its own size', () => {
    const { call } = setup();
    const trapOf = (run: () => unknown) => {
      try {
        run();
      } catch (error) {
        return (error as RuntimeError).trap;
      }
      return 'none';
    };
    expect(trapOf(() => call('load8', 65535))).toBe('none');
    expect(trapOf(() => call('load8', 65536))).toBe('memoryOutOfBounds');
    expect(trapOf(() => call('loadC', 131071))).toBe('none');
    expect(trapOf(() => call('copyBToC', 0, 65535, 2))).toBe('memoryOutOfBounds');
    expect(trapOf(() => call('copyBToC', 131071, 0, 2))).toBe('memoryOutOfBounds');
  });

  it('charges memory.copy between memories like memory.copy in one', () => {
    const { call, store } = setup(new Engine({ consumeFuel: true }));
    store.setFuel(10_000);
    call('copyBToC', 0, 0, 6400);
    // local.get x 3, memory.copy, plus 6400 / 64 bytes
    expect(10_000 - store.getFuel()).toBe(4 + 100);
  });

  it('is rejected, naming the feature, when the feature is off', () => {
    const engine = new Engine({ features: { multiMemory: false } });
    expect(() => new Module(engine, wat('(module (memory 1) (memory 1))'))).toThrow(/multiple memories \(the multi-memory feature is disabled\)/);
    expect(() => new Module(engine, wat(PROGRAM))).toThrow(CompileError);
    // memory.size 1 (the byte after 0x3f is a memory index only with multi-memory)
    const memorySize1 = Uint8Array.of(0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 5, 3, 1, 0, 1,
      10, 7, 1, 5, 0, 0x3f, 1, 0x1a, 0x0b);
    expect(() => new Module(engine, memorySize1)).toThrow(/zero byte expected \(the multi-memory feature is disabled\)/);
    expect(() => new Module(new Engine(), memorySize1)).toThrow(/unknown memory 1/);
  });
});

describe('multi-memory in the sandbox', () => {
  const THREE_MEMORIES = `(module
    (memory $a 1) (memory $b 1) (memory $c 1)
    (func (export "execute") (param i32 i32) (result i32)
      (block $full
        (loop $grow
          (br_if $full (i32.eq (memory.grow $a (i32.const 1)) (i32.const -1)))
          (br_if $full (i32.eq (memory.grow $b (i32.const 1)) (i32.const -1)))
          (br_if $full (i32.eq (memory.grow $c (i32.const 1)) (i32.const -1)))
          (br $grow)))
      (i32.add (i32.add (memory.size $a) (memory.size $b)) (memory.size $c))))`;
  const runtime = new WasmRuntime();

  it('counts all memories against the memory limit and in memoryPeakBytes', () => {
    const result = runtime.execute(wat(THREE_MEMORIES), '', new SandboxConfig().withMemoryLimit(30 * 65536));
    expect(result.returnValue).toBe(30);
    expect(result.memoryPeakBytes).toBe(30 * 65536);
  });

  it('ends a guest that exhausts the limit across three memories with OutOfMemory', () => {
    const config = new SandboxConfig().withMemoryLimit(30 * 65536).trapOnGrowFailure();
    let error: unknown;
    try {
      runtime.execute(wat(THREE_MEMORIES), '', config);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SandboxError);
    expect((error as SandboxError).kind).toBe('OutOfMemory');
    expect((error as SandboxError).memoryPeakBytes).toBe(30 * 65536);
  });

  it('refuses three declared memories that together exceed the limit', () => {
    let error: unknown;
    try {
      runtime.execute(wat('(module (memory 20) (memory 20) (memory 20) (func (export "execute") (param i32 i32) (result i32) (i32.const 0)))'), '',
        new SandboxConfig().withMemoryLimit(50 * 65536));
    } catch (e) {
      error = e;
    }
    expect((error as SandboxError).kind).toBe('OutOfMemory');
    expect((error as SandboxError).message).toMatch(/declares 3 memories of 60 pages/);
  });
});
