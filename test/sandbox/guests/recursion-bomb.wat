;; Calls itself forever.
(module
  (func $dive (export "_start")
    (call $dive)))
