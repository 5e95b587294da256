;; Declares a table of 5,000,000 elements.
(module
  (table 5000000 funcref)
  (func (export "_start")))
