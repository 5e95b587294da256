;; Exports neither execute nor _start.
(module
  (memory (export "memory") 1)
  (func $internal nop)
  (func (export "main") nop))
