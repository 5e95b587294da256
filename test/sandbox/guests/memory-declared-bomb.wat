;; Declares a 4 GiB memory.
(module
  (memory 65536)
  (func (export "_start")))
