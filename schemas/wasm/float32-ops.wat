;; Float32 operations of the reference executors, four lanes at a time
;; (src/runtimes/float32-ops.ts lays out the memory): activations, arithmetic and a 2x2 max pooling. Each lane computes what the plain TypeScript loop computed
;; for its element: min, max and a sign test are exact, and one float32 add, subtract, multiply or
;; divide of float32 values rounds to what that loop's float64 result rounded to on its store.
;;
;; Assembled into src/schema/wasm/float32-ops.ts by `npm run gen-wasm`; a test checks that the
;; two agree.
(module
  (memory (export "memory") 1)

  ;; data[i] = min(max(data[i], lo), hi), with Math.min and Math.max's NaN and signed-zero rules,
  ;; for i below n rounded up to a multiple of four (the caller leaves room).
  (func (export "clip") (param $data i32) (param $n i32) (param $lo f32) (param $hi f32)
    (local $end i32) (local $los v128) (local $his v128)
    (local.set $end (i32.add (local.get $data) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $los (f32x4.splat (local.get $lo)))
    (local.set $his (f32x4.splat (local.get $hi)))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $data) (local.get $end)))
        (v128.store (local.get $data) (f32x4.min (f32x4.max (v128.load (local.get $data)) (local.get $los)) (local.get $his)))
        (local.set $data (i32.add (local.get $data) (i32.const 16)))
        (br $quads))))

  ;; PReLU over `planes` planes of `plane` values: data[i] >= 0 ? data[i] : data[i] * slope, the
  ;; slope of plane p being alpha[p % channels].
  (func (export "prelu") (param $data i32) (param $plane i32) (param $planes i32) (param $alpha i32) (param $channels i32)
    (local $p i32) (local $end i32) (local $quadsEnd i32) (local $slope f32) (local $slopes v128) (local $v v128) (local $s f32)
    (block $done
      (loop $planeLoop
        (br_if $done (i32.ge_u (local.get $p) (local.get $planes)))
        (local.set $slope (f32.load (i32.add (local.get $alpha) (i32.shl (i32.rem_u (local.get $p) (local.get $channels)) (i32.const 2)))))
        (local.set $slopes (f32x4.splat (local.get $slope)))
        (local.set $end (i32.add (local.get $data) (i32.shl (local.get $plane) (i32.const 2))))
        (local.set $quadsEnd (i32.add (local.get $data) (i32.shl (i32.and (local.get $plane) (i32.const -4)) (i32.const 2))))
        (block $quadsDone
          (loop $quads
            (br_if $quadsDone (i32.ge_u (local.get $data) (local.get $quadsEnd)))
            (local.set $v (v128.load (local.get $data)))
            (v128.store (local.get $data)
              (v128.bitselect (local.get $v) (f32x4.mul (local.get $v) (local.get $slopes)) (f32x4.ge (local.get $v) (v128.const f32x4 0 0 0 0))))
            (local.set $data (i32.add (local.get $data) (i32.const 16)))
            (br $quads)))
        ;; the plane's last values, fewer than four, one at a time
        (block $tailDone
          (loop $tail
            (br_if $tailDone (i32.ge_u (local.get $data) (local.get $end)))
            (local.set $s (f32.load (local.get $data)))
            (f32.store (local.get $data) (select (local.get $s) (f32.mul (local.get $s) (local.get $slope)) (f32.ge (local.get $s) (f32.const 0))))
            (local.set $data (i32.add (local.get $data) (i32.const 4)))
            (br $tail)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $planeLoop))))

  ;; a[i] = a[i] + b[i] (and -, *, / below) for i below n rounded up to a multiple of four: the
  ;; float32 operation rounds once to what rounding the exact float64 result of two float32
  ;; operands to float32 gives, as float64 carries more than twice float32's precision.
  (func (export "add") (param $a i32) (param $b i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $a) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $quads))))

  (func (export "subtract") (param $a i32) (param $b i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $a) (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $quads))))

  (func (export "multiply") (param $a i32) (param $b i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $a) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $quads))))

  (func (export "divide") (param $a i32) (param $b i32) (param $n i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $a) (f32x4.div (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $quads))))

  ;; MAX pooling of `planes` planes [h][w] by 2x2 windows at stride 2 without padding, into planes
  ;; [h / 2][w / 2] (rounded down). Math.max's rules make the order of a window's comparisons
  ;; immaterial: any NaN gives NaN, +0 beats -0. Rows with four outputs or more go four at a time,
  ;; the last four moved back to end the row (recomputed outputs come out the same); shorter rows
  ;; one output at a time.
  (func (export "maxPool2x2") (param $x i32) (param $out i32) (param $planes i32) (param $h i32) (param $w i32)
    (local $oh i32) (local $ow i32) (local $rows i32) (local $row i32) (local $below i32) (local $ox i32) (local $q i32) (local $a i32)
    (local $v0 v128) (local $v1 v128)
    (local.set $oh (i32.shr_u (local.get $h) (i32.const 1)))
    (local.set $ow (i32.shr_u (local.get $w) (i32.const 1)))
    (local.set $below (i32.shl (local.get $w) (i32.const 2)))
    (local.set $rows (i32.mul (local.get $planes) (local.get $oh)))
    (block $done
      (loop $outputRows
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        ;; output row `row` of the stacked planes reads input rows 2 row + (row / oh) * (h mod 2)
        ;; and the one below: an odd height leaves the last input row of each plane unread
        (local.set $a (i32.add (local.get $x) (i32.mul (local.get $below)
          (i32.add (i32.shl (local.get $row) (i32.const 1)) (i32.mul (i32.div_u (local.get $row) (local.get $oh)) (i32.and (local.get $h) (i32.const 1)))))))
        (local.set $ox (i32.const 0))
        (if (i32.ge_u (local.get $ow) (i32.const 4))
          (then
            (loop $quads
              (local.set $q (select (local.get $ox) (i32.sub (local.get $ow) (i32.const 4)) (i32.le_u (i32.add (local.get $ox) (i32.const 4)) (local.get $ow))))
              (local.set $v0 (f32x4.max (v128.load (i32.add (local.get $a) (i32.shl (local.get $q) (i32.const 3))))
                (v128.load (i32.add (i32.add (local.get $a) (local.get $below)) (i32.shl (local.get $q) (i32.const 3))))))
              (local.set $v1 (f32x4.max (v128.load offset=16 (i32.add (local.get $a) (i32.shl (local.get $q) (i32.const 3))))
                (v128.load offset=16 (i32.add (i32.add (local.get $a) (local.get $below)) (i32.shl (local.get $q) (i32.const 3))))))
              ;; the even columns of both against the odd ones
              (v128.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $row) (local.get $ow)) (local.get $q)) (i32.const 2)))
                (f32x4.max
                  (i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 (local.get $v0) (local.get $v1))
                  (i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 (local.get $v0) (local.get $v1))))
              (br_if $quads (i32.lt_u (local.tee $ox (i32.add (local.get $ox) (i32.const 4))) (local.get $ow)))))
          (else
            (block $rowDone
              (loop $singles
                (br_if $rowDone (i32.ge_u (local.get $ox) (local.get $ow)))
                (f32.store (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (local.get $row) (local.get $ow)) (local.get $ox)) (i32.const 2)))
                  (f32.max
                    (f32.max (f32.load (i32.add (local.get $a) (i32.shl (local.get $ox) (i32.const 3))))
                      (f32.load offset=4 (i32.add (local.get $a) (i32.shl (local.get $ox) (i32.const 3)))))
                    (f32.max (f32.load (i32.add (i32.add (local.get $a) (local.get $below)) (i32.shl (local.get $ox) (i32.const 3))))
                      (f32.load offset=4 (i32.add (i32.add (local.get $a) (local.get $below)) (i32.shl (local.get $ox) (i32.const 3)))))))
                (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
                (br $singles)))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $outputRows))))
)
