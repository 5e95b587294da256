;; Grows memory one page (64 KiB) at a time, n times, touching each new page;
;; returns the final size in pages. Past the memory limit memory.grow returns -1.
(module
  (memory (export "memory") 1)
  (func $touch (param $page i32)
    (i32.store8 (i32.mul (local.get $page) (i32.const 65536)) (i32.const 1)))
  (func $grow (export "grow") (param $n i32) (result i32) (local $old i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $old (memory.grow (i32.const 1)))
        (br_if $done (i32.lt_s (local.get $old) (i32.const 0)))
        (call $touch (local.get $old))
        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
        (br $next)))
    (memory.size)))
