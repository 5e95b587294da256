;; Logs "hi" and exits: needs capability 'log'.
(module
  (import "env" "host_log" (func $log (param i32 i32)))
  (memory 1)
  (data (i32.const 0) "hi")
  (func (export "_start")
    (call $log (i32.const 0) (i32.const 2))))
