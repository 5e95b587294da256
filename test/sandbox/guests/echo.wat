;; execute(ptr, len): reads the input with host_get_input_len / host_read_input,
;; logs "echo", writes the input back as output and returns its length.
(module
  (import "env" "host_get_input_len" (func $input_len (result i32)))
  (import "env" "host_read_input" (func $read_input (param i32 i32) (result i32)))
  (import "env" "host_write_output" (func $write_output (param i32 i32)))
  (import "env" "host_log" (func $log (param i32 i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "echo")
  (func (export "execute") (param $ptr i32) (param $len i32) (result i32)
    (local $n i32)
    (local.set $n (call $read_input (i32.const 1024) (call $input_len)))
    (call $log (i32.const 0) (i32.const 4))
    (call $write_output (i32.const 1024) (local.get $n))
    (local.get $n)))
