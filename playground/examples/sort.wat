;; Fills memory with n pseudo-random numbers, sorts them with a recursive merge
;; sort and returns a checksum. Try n = 5000; n = 10000 needs more memory than
;; the module's one page: a trap.
(module
  (memory (export "memory") 1)
  (global $seed (mut i32) (i32.const 12345))
  ;; Where merge writes its output: the bytes after the n numbers.
  (global $scratch (mut i32) (i32.const 0))

  (func $next_random (result i32)
    (global.set $seed (i32.add (i32.mul (global.get $seed) (i32.const 1103515245)) (i32.const 12345)))
    (i32.shr_u (global.get $seed) (i32.const 16)))

  (func $fill (param $n i32) (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (i32.store (i32.shl (local.get $i) (i32.const 2)) (call $next_random))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  (func $at (param $i i32) (result i32)
    (i32.load (i32.shl (local.get $i) (i32.const 2))))

  (func $put (param $k i32) (param $value i32)
    (i32.store (i32.add (global.get $scratch) (i32.shl (local.get $k) (i32.const 2))) (local.get $value)))

  ;; Merges the sorted runs [lo, mid) and [mid, hi) into scratch, then copies them back.
  (func $merge (param $lo i32) (param $mid i32) (param $hi i32) (local $i i32) (local $j i32) (local $k i32)
    (local.set $i (local.get $lo))
    (local.set $j (local.get $mid))
    (local.set $k (local.get $lo))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $k) (local.get $hi)))
        (if (i32.and (i32.lt_u (local.get $i) (local.get $mid))
                     (i32.or (i32.ge_u (local.get $j) (local.get $hi))
                             (i32.le_u (call $at (local.get $i)) (call $at (local.get $j)))))
          (then
            (call $put (local.get $k) (call $at (local.get $i)))
            (local.set $i (i32.add (local.get $i) (i32.const 1))))
          (else
            (call $put (local.get $k) (call $at (local.get $j)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (memory.copy (i32.shl (local.get $lo) (i32.const 2))
                 (i32.add (global.get $scratch) (i32.shl (local.get $lo) (i32.const 2)))
                 (i32.shl (i32.sub (local.get $hi) (local.get $lo)) (i32.const 2))))

  (func $merge_sort (param $lo i32) (param $hi i32) (local $mid i32)
    (if (i32.lt_u (i32.sub (local.get $hi) (local.get $lo)) (i32.const 2)) (then (return)))
    (local.set $mid (i32.shr_u (i32.add (local.get $lo) (local.get $hi)) (i32.const 1)))
    (call $merge_sort (local.get $lo) (local.get $mid))
    (call $merge_sort (local.get $mid) (local.get $hi))
    (call $merge (local.get $lo) (local.get $mid) (local.get $hi)))

  (func $checksum (param $n i32) (result i32) (local $i i32) (local $sum i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $sum (i32.add (i32.mul (local.get $sum) (i32.const 31)) (call $at (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $sum))

  (func $run (export "run") (param $n i32) (result i32)
    (global.set $scratch (i32.shl (local.get $n) (i32.const 2)))
    (call $fill (local.get $n))
    (call $merge_sort (i32.const 0) (local.get $n))
    (call $checksum (local.get $n))))
