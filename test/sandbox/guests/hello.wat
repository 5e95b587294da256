;; Writes "hello" to the output.
(module
  (import "env" "host_write_output" (func $write_output (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "hello")
  (func (export "_start")
    (call $write_output (i32.const 0) (i32.const 5))))
