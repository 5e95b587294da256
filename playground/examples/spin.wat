;; Counts forever: the fuel or the time limit ends it.
(module
  (func $spin (export "spin") (local $i i64)
    (loop $forever
      (local.set $i (i64.add (local.get $i) (i64.const 1)))
      (br $forever))))
