;; The average of the numbers 1..count: with count = 0 it divides by zero, a trap.
(module
  (func $sum (param $count i32) (result i32) (local $total i32)
    (block $done
      (loop $next
        (br_if $done (i32.eqz (local.get $count)))
        (local.set $total (i32.add (local.get $total) (local.get $count)))
        (local.set $count (i32.sub (local.get $count) (i32.const 1)))
        (br $next)))
    (local.get $total))

  (func $average (export "average") (param $count i32) (result i32)
    (i32.div_u (call $sum (local.get $count)) (local.get $count))))
