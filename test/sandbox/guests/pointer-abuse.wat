;; Calls one host function with the pointer and length the input dictates:
;; input byte 0 picks it (0 host_log, 1 host_write_output, 2 host_read_input),
;; bytes 1..4 and 5..8 are the ptr and len (little-endian i32).
(module
  (import "env" "host_log" (func $log (param i32 i32)))
  (import "env" "host_write_output" (func $write_output (param i32 i32)))
  (import "env" "host_read_input" (func $read_input (param i32 i32) (result i32)))
  (memory 1)
  (func (export "execute") (param i32 i32) (result i32)
    (drop (call $read_input (i32.const 0) (i32.const 9)))
    (block $read
      (block $write
        (block $log
          (br_table $log $write $read (i32.load8_u (i32.const 0))))
        (call $log (i32.load offset=1 (i32.const 0)) (i32.load offset=5 (i32.const 0)))
        (return (i32.const 0)))
      (call $write_output (i32.load offset=1 (i32.const 0)) (i32.load offset=5 (i32.const 0)))
      (return (i32.const 0)))
    (call $read_input (i32.load offset=1 (i32.const 0)) (i32.load offset=5 (i32.const 0)))))
