;; An integer calculator that reports errors with WebAssembly exceptions.
;;
;; A recursive-descent parser (expr -> term -> factor -> expr ...) evaluates each
;; expression of a list; a division by zero or a syntax error deep in the
;; recursion throws $div_by_zero or $syntax_error with the position, and
;; $report catches it with try_table several frames up. $evaluate_counting wraps
;; the evaluation in a legacy try/catch_all that counts failures and rethrows, so
;; both encodings (3.0's try_table and the legacy try/catch that Emscripten emits)
;; are on the path. A WASI command: `purewasm run examples/exceptions/calc.wasm`.
;;
;; Hosts see the exceptions too: `evaluate` (a string in memory at 8192) lets an
;; exception out to the caller, and a write that fails in the host's fd_write (a
;; JS function that throws) is caught by catch_all and counted as a lost line.
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)

  (tag $div_by_zero (export "div_by_zero") (param i32))
  (tag $syntax_error (export "syntax_error") (param i32))

  (global $pos (mut i32) (i32.const 0))
  (global $start (mut i32) (i32.const 0))
  (global $out (mut i32) (i32.const 256))
  (global $failures (mut i32) (i32.const 0))

  ;; 0: iovec, 8: nwritten, 256..1023: the output line, 1024..: the expressions, NUL-terminated, then an empty one
  (data (i32.const 1024)
    "1+2*3\00"
    "(1+2)*3\00"
    "2*(3+4)*5-6\00"
    "100/(7-7)\00"
    "8/(2*(3-3))\00"
    "((((((((((42))))))))))\00"
    "2*(3+\00"
    "-(4-10)*2\00"
    "7+x\00"
    "\00")
  (data (i32.const 512) " = \00")
  (data (i32.const 528) ": division by zero at column \00")
  (data (i32.const 576) ": syntax error at column \00")
  (data (i32.const 624) " of \00")
  (data (i32.const 640) " expressions failed\00")
  (data (i32.const 672) ", lines lost: \00")

  (func $peek (result i32) (i32.load8_u (global.get $pos)))
  (func $advance (global.set $pos (i32.add (global.get $pos) (i32.const 1))))
  (func $column (result i32) (i32.add (i32.sub (global.get $pos) (global.get $start)) (i32.const 1)))

  (func $expr (result i32)
    (local $value i32) (local $c i32)
    (local.set $value (call $term))
    (block $done
      (loop $more
        (local.set $c (call $peek))
        (br_if $done (i32.and (i32.ne (local.get $c) (i32.const 43)) (i32.ne (local.get $c) (i32.const 45))))
        (call $advance)
        (if (i32.eq (local.get $c) (i32.const 43))
          (then (local.set $value (i32.add (local.get $value) (call $term))))
          (else (local.set $value (i32.sub (local.get $value) (call $term)))))
        (br $more)))
    (local.get $value))

  (func $term (result i32)
    (local $value i32) (local $c i32) (local $at i32) (local $divisor i32)
    (local.set $value (call $factor))
    (block $done
      (loop $more
        (local.set $c (call $peek))
        (br_if $done (i32.and (i32.ne (local.get $c) (i32.const 42)) (i32.ne (local.get $c) (i32.const 47))))
        (local.set $at (call $column))
        (call $advance)
        (if (i32.eq (local.get $c) (i32.const 42))
          (then (local.set $value (i32.mul (local.get $value) (call $factor))))
          (else
            (local.set $divisor (call $factor))
            (if (i32.eqz (local.get $divisor)) (then (throw $div_by_zero (local.get $at))))
            (local.set $value (i32.div_s (local.get $value) (local.get $divisor)))))
        (br $more)))
    (local.get $value))

  (func $factor (result i32)
    (local $c i32) (local $value i32)
    (local.set $c (call $peek))
    (if (i32.eq (local.get $c) (i32.const 45))
      (then (call $advance) (return (i32.sub (i32.const 0) (call $factor)))))
    (if (i32.eq (local.get $c) (i32.const 40))
      (then
        (call $advance)
        (local.set $value (call $expr))
        (if (i32.ne (call $peek) (i32.const 41)) (then (throw $syntax_error (call $column))))
        (call $advance)
        (return (local.get $value))))
    (if (i32.gt_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9)) (then (throw $syntax_error (call $column))))
    (loop $digits
      (local.set $value (i32.add (i32.mul (local.get $value) (i32.const 10)) (i32.sub (local.get $c) (i32.const 48))))
      (call $advance)
      (local.set $c (call $peek))
      (br_if $digits (i32.le_u (i32.sub (local.get $c) (i32.const 48)) (i32.const 9))))
    (local.get $value))

  ;; The value of the NUL-terminated expression at $text; throws on an error.
  (func $evaluate (export "evaluate") (param $text i32) (result i32)
    (local $value i32)
    (global.set $pos (local.get $text))
    (global.set $start (local.get $text))
    (local.set $value (call $expr))
    (if (i32.ne (call $peek) (i32.const 0)) (then (throw $syntax_error (call $column))))
    (local.get $value))

  ;; The legacy encoding: count the failure, then let the exception go on.
  (func $evaluate_counting (param $text i32) (result i32)
    (try (result i32)
      (do (call $evaluate (local.get $text)))
      (catch_all
        (global.set $failures (i32.add (global.get $failures) (i32.const 1)))
        (rethrow 0))))

  ;; ---- the output line
  (func $put_char (param $c i32)
    (i32.store8 (global.get $out) (local.get $c))
    (global.set $out (i32.add (global.get $out) (i32.const 1))))
  (func $put_text (param $p i32)
    (block $end (loop $next
      (br_if $end (i32.eqz (i32.load8_u (local.get $p))))
      (call $put_char (i32.load8_u (local.get $p)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $next))))
  (func $put_number (param $n i32)
    (if (i32.lt_s (local.get $n) (i32.const 0))
      (then (call $put_char (i32.const 45)) (local.set $n (i32.sub (i32.const 0) (local.get $n)))))
    (if (i32.ge_u (local.get $n) (i32.const 10)) (then (call $put_number (i32.div_u (local.get $n) (i32.const 10)))))
    (call $put_char (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10)))))
  ;; Writes the line in one fd_write, whatever happens to it.
  (func $flush
    (call $put_char (i32.const 10))
    (i32.store (i32.const 0) (i32.const 256))
    (i32.store (i32.const 4) (i32.sub (global.get $out) (i32.const 256)))
    (global.set $out (i32.const 256))
    (drop (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8))))

  ;; "<text> = <value>", or the error with its column.
  (func $report (param $text i32)
    (local $value i32)
    (call $put_text (local.get $text))
    (block $syntax (result i32)
      (block $zero (result i32)
        (try_table (catch $div_by_zero $zero) (catch $syntax_error $syntax)
          (local.set $value (call $evaluate_counting (local.get $text))))
        (call $put_text (i32.const 512))
        (call $put_number (local.get $value))
        (return (call $flush)))
      (call $put_text (i32.const 528))
      (call $put_number)
      (return (call $flush)))
    (call $put_text (i32.const 576))
    (call $put_number)
    (call $flush))

  (func (export "_start")
    (local $text i32) (local $count i32) (local $lost i32)
    (local.set $text (i32.const 1024))
    (block $end (loop $next
      (br_if $end (i32.eqz (i32.load8_u (local.get $text))))
      ;; A write the host fails (its fd_write threw) loses the line, not the run.
      (block $ok
        (block $failed
          (try_table (catch_all $failed) (call $report (local.get $text)))
          (br $ok))
        (local.set $lost (i32.add (local.get $lost) (i32.const 1))))
      (local.set $count (i32.add (local.get $count) (i32.const 1)))
      (loop $char
        (local.set $text (i32.add (local.get $text) (i32.const 1)))
        (br_if $char (i32.load8_u (i32.sub (local.get $text) (i32.const 1)))))
      (br $next)))
    (global.set $out (i32.const 256))
    (call $put_number (global.get $failures))
    (call $put_text (i32.const 624))
    (call $put_number (local.get $count))
    (call $put_text (i32.const 640))
    (if (local.get $lost) (then (call $put_text (i32.const 672)) (call $put_number (local.get $lost))))
    (call $flush)))
