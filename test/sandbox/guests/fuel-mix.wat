;; Spends fuel in every way the sandbox meters, driven by its input: per input
;; byte b it fills b * 64 bytes (bulk fuel), calls a loop of b iterations,
;; writes b * 16 bytes of output when b % 3 = 0 and logs when b % 4 = 0 (host fuel).
;; Returns a checksum; ends by echoing the input.
(module
  (import "env" "host_read_input" (func $read_input (param i32 i32) (result i32)))
  (import "env" "host_write_output" (func $write_output (param i32 i32)))
  (import "env" "host_log" (func $log (param i32 i32)))
  (memory 1)
  (func $mix (param $acc i32) (param $k i32) (result i32)
    (block $done
      (loop $spin
        (br_if $done (i32.eqz (local.get $k)))
        (local.set $acc (i32.add (i32.mul (local.get $acc) (i32.const 31)) (local.get $k)))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $spin)))
    (local.get $acc))
  (func (export "execute") (param i32 i32) (result i32)
    (local $n i32) (local $i i32) (local $b i32) (local $acc i32)
    (local.set $n (call $read_input (i32.const 0) (i32.const 4096)))
    (block $end
      (loop $each
        (br_if $end (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $b (i32.load8_u (local.get $i)))
        (memory.fill (i32.const 8192) (local.get $b) (i32.mul (local.get $b) (i32.const 64)))
        (local.set $acc (call $mix (local.get $acc) (local.get $b)))
        (if (i32.eqz (i32.rem_u (local.get $b) (i32.const 3)))
          (then (call $write_output (i32.const 8192) (i32.mul (local.get $b) (i32.const 16)))))
        (if (i32.eqz (i32.rem_u (local.get $b) (i32.const 4)))
          (then (call $log (local.get $i) (i32.const 1))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (call $write_output (i32.const 0) (local.get $n))
    (local.get $acc)))
