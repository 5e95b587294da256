;; Grows its table 10,000 elements at a time until table.grow fails, then
;; returns the size it reached.
(module
  (table $table 1 funcref)
  (func (export "execute") (param i32 i32) (result i32)
    (block $full
      (loop $grow
        (br_if $full (i32.eq (table.grow $table (ref.null func) (i32.const 10000)) (i32.const -1)))
        (br $grow)))
    (table.size $table)))
