;; The loops of src/runtimes/reference/kernels/conv-nhwc.ts, which lays out the memory and
;; documents the sum each output takes:
;; zero, plus the in-range taps in TFLite's order, in float64, plus the bias last, rounded to
;; float32 once. Both kernels keep that order for every output. Their SIMD lanes hold adjacent
;; output channels, never parts of one sum, and a multiply and an add stay two roundings
;; (WebAssembly has no fused multiply-add outside relaxed SIMD, which is not used).
;;
;; Memory, all of it placed by the caller: input, weights and bias as float64 (widened once per
;; call, not once per tap), output as float32, and one table per axis of (origin, first tap, end
;; tap) int32 triples per output row or column (runtimes/window.ts). Channels of the weights,
;; bias and output (and of the input, for the depthwise kernel) are padded with zeros to a
;; multiple of eight, so each pass takes eight channels with no tail.
;;
;; Assembled into src/schema/wasm/conv-nhwc.ts by `npm run gen-wasm`; a test checks that the two
;; agree.
(module
  (memory (export "memory") 1)

  ;; CONV_2D of one group. Weights [kh][kw][cIn][cOut] (cOut padded), so the eight channels of a
  ;; pass are adjacent; each output sums its taps in (kernel row, column, input channel) order.
  (func (export "conv")
    (param $x i32)        ;; input [batch][h][w][cIn]
    (param $w i32)        ;; weights [kh][kw][cIn][cOut]
    (param $bias i32)     ;; [cOut]
    (param $out i32)      ;; output [batch][oh][ow][cOut]
    (param $rows i32) (param $cols i32)
    (param $batch i32) (param $h i32) (param $wd i32) (param $cIn i32) (param $cOut i32)
    (param $kw i32) (param $dh i32) (param $dw i32) (param $oh i32) (param $ow i32) (param $act i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $oc i32)
    (local $y0 i32) (local $fy0 i32) (local $fy1 i32) (local $x0 i32) (local $fx0 i32) (local $fx1 i32)
    (local $fy i32) (local $fx i32) (local $xp i32) (local $wp i32) (local $xEnd i32)
    (local $pixel i32) (local $tapStep i32) (local $wStep i32) (local $o i32) (local $r i32) (local $c i32)
    (local $v v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    ;; bytes from one input channel's weights to the next, and from one kernel tap's to the next
    (local.set $wStep (i32.shl (local.get $cOut) (i32.const 3)))
    (local.set $tapStep (i32.mul (local.get $cIn) (local.get $wStep)))
    (local.set $o (local.get $out))
    (local.set $b (i32.const 0))
    (loop $batches
      (local.set $oy (i32.const 0))
      (loop $outRows
        (local.set $r (i32.add (local.get $rows) (i32.mul (local.get $oy) (i32.const 12))))
        (local.set $y0 (i32.load (local.get $r)))
        (local.set $fy0 (i32.load offset=4 (local.get $r)))
        (local.set $fy1 (i32.load offset=8 (local.get $r)))
        (local.set $ox (i32.const 0))
        (loop $outCols
          (local.set $c (i32.add (local.get $cols) (i32.mul (local.get $ox) (i32.const 12))))
          (local.set $x0 (i32.load (local.get $c)))
          (local.set $fx0 (i32.load offset=4 (local.get $c)))
          (local.set $fx1 (i32.load offset=8 (local.get $c)))
          ;; input element of tap (0, 0, 0), possibly outside the input: only in-range taps are read
          (local.set $pixel (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $y0)) (local.get $wd)) (local.get $x0)) (local.get $cIn)))
          (local.set $oc (i32.const 0))
          (loop $channels
            (local.set $a0 (v128.const f64x2 0 0))
            (local.set $a1 (v128.const f64x2 0 0))
            (local.set $a2 (v128.const f64x2 0 0))
            (local.set $a3 (v128.const f64x2 0 0))
            (local.set $fy (local.get $fy0))
            (block $rowsDone
              (br_if $rowsDone (i32.ge_s (local.get $fy) (local.get $fy1)))
              (loop $taps
                (local.set $fx (local.get $fx0))
                (block $colsDone
                  (br_if $colsDone (i32.ge_s (local.get $fx) (local.get $fx1)))
                  (loop $tapCols
                    (local.set $xp (i32.add (local.get $x) (i32.shl
                      (i32.add (local.get $pixel) (i32.mul (i32.add
                        (i32.mul (i32.mul (local.get $fy) (local.get $dh)) (local.get $wd))
                        (i32.mul (local.get $fx) (local.get $dw))) (local.get $cIn)))
                      (i32.const 3))))
                    (local.set $xEnd (i32.add (local.get $xp) (i32.shl (local.get $cIn) (i32.const 3))))
                    (local.set $wp (i32.add (i32.add (local.get $w)
                      (i32.mul (i32.add (i32.mul (local.get $fy) (local.get $kw)) (local.get $fx)) (local.get $tapStep)))
                      (i32.shl (local.get $oc) (i32.const 3))))
                    (loop $inputs
                      (local.set $v (v128.load64_splat (local.get $xp)))
                      (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $v) (v128.load (local.get $wp)))))
                      (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $v) (v128.load offset=16 (local.get $wp)))))
                      (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $v) (v128.load offset=32 (local.get $wp)))))
                      (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $v) (v128.load offset=48 (local.get $wp)))))
                      (local.set $wp (i32.add (local.get $wp) (local.get $wStep)))
                      (local.set $xp (i32.add (local.get $xp) (i32.const 8)))
                      (br_if $inputs (i32.lt_u (local.get $xp) (local.get $xEnd))))
                    (local.set $fx (i32.add (local.get $fx) (i32.const 1)))
                    (br_if $tapCols (i32.lt_s (local.get $fx) (local.get $fx1)))))
                (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
                (br_if $taps (i32.lt_s (local.get $fy) (local.get $fy1)))))
            (call $store8 (local.get $o) (i32.add (local.get $bias) (i32.shl (local.get $oc) (i32.const 3))) (local.get $act)
              (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3))
            (local.set $o (i32.add (local.get $o) (i32.const 32)))
            (local.set $oc (i32.add (local.get $oc) (i32.const 8)))
            (br_if $channels (i32.lt_s (local.get $oc) (local.get $cOut))))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br_if $outCols (i32.lt_s (local.get $ox) (local.get $ow))))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br_if $outRows (i32.lt_s (local.get $oy) (local.get $oh))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batches (i32.lt_s (local.get $b) (local.get $batch)))))

  ;; DEPTHWISE_CONV_2D with multiplier 1. Input [batch][h][w][c] and weights [kh][kw][c], c
  ;; padded; output channel c sums its taps in (kernel row, column) order.
  (func (export "depthwise")
    (param $x i32) (param $w i32) (param $bias i32) (param $out i32)
    (param $rows i32) (param $cols i32)
    (param $batch i32) (param $h i32) (param $wd i32) (param $ch i32)
    (param $kw i32) (param $dh i32) (param $dw i32) (param $oh i32) (param $ow i32) (param $act i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $oc i32)
    (local $y0 i32) (local $fy0 i32) (local $fy1 i32) (local $x0 i32) (local $fx0 i32) (local $fx1 i32)
    (local $fy i32) (local $fx i32) (local $xp i32) (local $wp i32)
    (local $pixel i32) (local $o i32) (local $r i32) (local $c i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local.set $o (local.get $out))
    (local.set $b (i32.const 0))
    (loop $batches
      (local.set $oy (i32.const 0))
      (loop $outRows
        (local.set $r (i32.add (local.get $rows) (i32.mul (local.get $oy) (i32.const 12))))
        (local.set $y0 (i32.load (local.get $r)))
        (local.set $fy0 (i32.load offset=4 (local.get $r)))
        (local.set $fy1 (i32.load offset=8 (local.get $r)))
        (local.set $ox (i32.const 0))
        (loop $outCols
          (local.set $c (i32.add (local.get $cols) (i32.mul (local.get $ox) (i32.const 12))))
          (local.set $x0 (i32.load (local.get $c)))
          (local.set $fx0 (i32.load offset=4 (local.get $c)))
          (local.set $fx1 (i32.load offset=8 (local.get $c)))
          (local.set $pixel (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $y0)) (local.get $wd)) (local.get $x0)) (local.get $ch)))
          (local.set $oc (i32.const 0))
          (loop $channels
            (local.set $a0 (v128.const f64x2 0 0))
            (local.set $a1 (v128.const f64x2 0 0))
            (local.set $a2 (v128.const f64x2 0 0))
            (local.set $a3 (v128.const f64x2 0 0))
            (local.set $fy (local.get $fy0))
            (block $rowsDone
              (br_if $rowsDone (i32.ge_s (local.get $fy) (local.get $fy1)))
              (loop $taps
                (local.set $fx (local.get $fx0))
                (block $colsDone
                  (br_if $colsDone (i32.ge_s (local.get $fx) (local.get $fx1)))
                  (loop $tapCols
                    (local.set $xp (i32.add (local.get $x) (i32.shl
                      (i32.add (i32.add (local.get $pixel) (i32.mul (i32.add
                        (i32.mul (i32.mul (local.get $fy) (local.get $dh)) (local.get $wd))
                        (i32.mul (local.get $fx) (local.get $dw))) (local.get $ch))) (local.get $oc))
                      (i32.const 3))))
                    (local.set $wp (i32.add (local.get $w) (i32.shl
                      (i32.add (i32.mul (i32.add (i32.mul (local.get $fy) (local.get $kw)) (local.get $fx)) (local.get $ch)) (local.get $oc))
                      (i32.const 3))))
                    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (v128.load (local.get $xp)) (v128.load (local.get $wp)))))
                    (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (v128.load offset=16 (local.get $xp)) (v128.load offset=16 (local.get $wp)))))
                    (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (v128.load offset=32 (local.get $xp)) (v128.load offset=32 (local.get $wp)))))
                    (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (v128.load offset=48 (local.get $xp)) (v128.load offset=48 (local.get $wp)))))
                    (local.set $fx (i32.add (local.get $fx) (i32.const 1)))
                    (br_if $tapCols (i32.lt_s (local.get $fx) (local.get $fx1)))))
                (local.set $fy (i32.add (local.get $fy) (i32.const 1)))
                (br_if $taps (i32.lt_s (local.get $fy) (local.get $fy1)))))
            (call $store8 (local.get $o) (i32.add (local.get $bias) (i32.shl (local.get $oc) (i32.const 3))) (local.get $act)
              (local.get $a0) (local.get $a1) (local.get $a2) (local.get $a3))
            (local.set $o (i32.add (local.get $o) (i32.const 32)))
            (local.set $oc (i32.add (local.get $oc) (i32.const 8)))
            (br_if $channels (i32.lt_s (local.get $oc) (local.get $ch))))
          (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
          (br_if $outCols (i32.lt_s (local.get $ox) (local.get $ow))))
        (local.set $oy (i32.add (local.get $oy) (i32.const 1)))
        (br_if $outRows (i32.lt_s (local.get $oy) (local.get $oh))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batches (i32.lt_s (local.get $b) (local.get $batch)))))

  ;; Eight sums plus their biases, each rounded to float32, then the fused activation ($act 1:
  ;; `v > 0 ? v : 0`, which pmax(0, v) is; 2: that, then `v < 6 ? v : 6`, which pmin(6, v) is),
  ;; stored at $o.
  (func $store8 (param $o i32) (param $bias i32) (param $act i32) (param $a0 v128) (param $a1 v128) (param $a2 v128) (param $a3 v128)
    (local $lo v128) (local $hi v128)
    (local.set $lo (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (f64x2.add (local.get $a0) (v128.load (local.get $bias))))
      (f32x4.demote_f64x2_zero (f64x2.add (local.get $a1) (v128.load offset=16 (local.get $bias))))))
    (local.set $hi (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
      (f32x4.demote_f64x2_zero (f64x2.add (local.get $a2) (v128.load offset=32 (local.get $bias))))
      (f32x4.demote_f64x2_zero (f64x2.add (local.get $a3) (v128.load offset=48 (local.get $bias))))))
    (if (local.get $act)
      (then
        (local.set $lo (f32x4.pmax (v128.const f32x4 0 0 0 0) (local.get $lo)))
        (local.set $hi (f32x4.pmax (v128.const f32x4 0 0 0 0) (local.get $hi)))
        (if (i32.eq (local.get $act) (i32.const 2))
          (then
            (local.set $lo (f32x4.pmin (v128.const f32x4 6 6 6 6) (local.get $lo)))
            (local.set $hi (f32x4.pmin (v128.const f32x4 6 6 6 6) (local.get $hi)))))))
    (v128.store (local.get $o) (local.get $lo))
    (v128.store offset=16 (local.get $o) (local.get $hi)))
)
