;; Grows its memory one page at a time until memory.grow fails, then returns
;; the number of pages it reached.
(module
  (memory 1)
  (func (export "execute") (param i32 i32) (result i32)
    (block $full
      (loop $grow
        (br_if $full (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $grow)))
    (memory.size)))
