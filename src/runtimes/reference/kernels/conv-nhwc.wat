;; The loops of conv.ts for one group of channels (TFLite CONV_2D) and for depthwise with
;; multiplier 1 (DEPTHWISE_CONV_2D). conv-nhwc.ts lays out the memory and documents the sum each
;; output takes: from zero, the in-range taps in (kernel row, kernel column, input channel) order,
;; in float64, then the bias, rounded to float32 once. Both kernels keep that order for every
;; output. Their SIMD lanes hold adjacent output channels, never parts of one sum, and a multiply
;; and an add stay two roundings (no fused multiply-add).
;;
;; Memory, all of it placed by the caller: the input as float32 (each value widened exactly when
;; read), weights and bias as float64, the output as float32, and one table per axis of
;; (origin, first tap, end tap) int32 triples per output row or column (runtimes/window.ts).
;;
;; Assembled into conv-nhwc-wasm.ts by `npm run gen-wasm`; a test checks that the two agree.
(module
  (memory (export "memory") 1)

  ;; CONV_2D of one group: input [batches][h][wd][kc], weights [kh][kw][kc][o8] (output channels
  ;; padded with zeros to a multiple of eight), output [batches][oh][ow][cOut]. Each output pixel
  ;; takes its channels eight at a time, four f64x2 sums in registers, each input value loaded once
  ;; for the eight; the last block stores only the channels that exist.
  (func (export "conv")
    (param $x i32) (param $w i32) (param $bias i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $batches i32) (param $h i32) (param $wd i32) (param $kc i32) (param $cOut i32) (param $o8 i32)
    (param $kw i32) (param $dh i32) (param $dw i32) (param $oh i32) (param $ow i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $entry i32) (local $y0 i32) (local $fy0 i32) (local $fy1 i32)
    (local $x0 i32) (local $fx0 i32) (local $fx1 i32) (local $pixel i32) (local $o i32) (local $oc i32)
    (local $fy i32) (local $fx i32) (local $ic i32) (local $xp i32) (local $wp i32) (local $wRow i32) (local $left i32)
    (local $xv v128) (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $lo v128) (local $hi v128)
    (local.set $wRow (i32.shl (local.get $o8) (i32.const 3)))
    (local.set $o (local.get $out))
    (loop $batch
      (local.set $oy (i32.const 0))
      (loop $outputRows
        (local.set $entry (i32.add (local.get $rows) (i32.mul (local.get $oy) (i32.const 12))))
        (local.set $y0 (i32.load (local.get $entry)))
        (local.set $fy0 (i32.load offset=4 (local.get $entry)))
        (local.set $fy1 (i32.load offset=8 (local.get $entry)))
        (local.set $ox (i32.const 0))
        (loop $outputCols
          (local.set $entry (i32.add (local.get $cols) (i32.mul (local.get $ox) (i32.const 12))))
          (local.set $x0 (i32.load (local.get $entry)))
          (local.set $fx0 (i32.load offset=4 (local.get $entry)))
          (local.set $fx1 (i32.load offset=8 (local.get $entry)))
          ;; input pixel of tap (0, 0), were the window not cut (it may lie in the padding)
          (local.set $pixel (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $y0)) (local.get $wd)) (local.get $x0)) (local.get $kc)) (i32.const 2))))
          (local.set $oc (i32.const 0))
          (loop $channels
            (local.set $a0 (v128.const i64x2 0 0)) (local.set $a1 (v128.const i64x2 0 0))
            (local.set $a2 (v128.const i64x2 0 0)) (local.set $a3 (v128.const i64x2 0 0))
            (local.set $fy (local.get $fy0))
            (block $rowsDone
              (br_if $rowsDone (i32.ge_s (local.get $fy) (local.get $fy1)))
              (br_if $rowsDone (i32.ge_s (local.get $fx0) (local.get $fx1)))
              (loop $kernelRows
                (local.set $fx (local.get $fx0))
                (loop $kernelCols
                  (local.set $xp (i32.add (local.get $pixel)
                    (i32.shl (i32.mul (i32.add (i32.mul (i32.mul (local.get $fy) (local.get $dh)) (local.get $wd)) (i32.mul (local.get $fx) (local.get $dw))) (local.get $kc)) (i32.const 2))))
                  (local.set $wp (i32.add (i32.add (local.get $w) (i32.shl (local.get $oc) (i32.const 3)))
                    (i32.mul (i32.mul (i32.add (i32.mul (local.get $fy) (local.get $kw)) (local.get $fx)) (local.get $kc)) (local.get $wRow))))
                  (local.set $ic (i32.const 0))
                  (loop $inputs
                    (local.set $xv (f64x2.splat (f64.promote_f32 (f32.load (local.get $xp)))))
                    (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $xv) (v128.load (local.get $wp)))))
                    (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $xv) (v128.load offset=16 (local.get $wp)))))
                    (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $xv) (v128.load offset=32 (local.get $wp)))))
                    (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $xv) (v128.load offset=48 (local.get $wp)))))
                    (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                    (local.set $wp (i32.add (local.get $wp) (local.get $wRow)))
                    (br_if $inputs (i32.lt_s (local.tee $ic (i32.add (local.get $ic) (i32.const 1))) (local.get $kc))))
                  (br_if $kernelCols (i32.lt_s (local.tee $fx (i32.add (local.get $fx) (i32.const 1))) (local.get $fx1))))
                (br_if $kernelRows (i32.lt_s (local.tee $fy (i32.add (local.get $fy) (i32.const 1))) (local.get $fy1)))))
            ;; the bias last
            (local.set $wp (i32.add (local.get $bias) (i32.shl (local.get $oc) (i32.const 3))))
            (local.set $lo (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (f64x2.add (local.get $a0) (v128.load (local.get $wp))))
              (f32x4.demote_f64x2_zero (f64x2.add (local.get $a1) (v128.load offset=16 (local.get $wp))))))
            (local.set $hi (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (f64x2.add (local.get $a2) (v128.load offset=32 (local.get $wp))))
              (f32x4.demote_f64x2_zero (f64x2.add (local.get $a3) (v128.load offset=48 (local.get $wp))))))
            (local.set $xp (i32.add (local.get $o) (i32.shl (local.get $oc) (i32.const 2))))
            (local.set $left (i32.sub (local.get $cOut) (local.get $oc)))
            (if (i32.ge_s (local.get $left) (i32.const 8))
              (then
                (v128.store (local.get $xp) (local.get $lo))
                (v128.store offset=16 (local.get $xp) (local.get $hi)))
              (else
                (call $storeLanes (local.get $xp) (local.get $lo) (local.get $left))
                (call $storeLanes (i32.add (local.get $xp) (i32.const 16)) (local.get $hi) (i32.sub (local.get $left) (i32.const 4)))))
            (br_if $channels (i32.lt_s (local.tee $oc (i32.add (local.get $oc) (i32.const 8))) (local.get $cOut))))
          (local.set $o (i32.add (local.get $o) (i32.shl (local.get $cOut) (i32.const 2))))
          (br_if $outputCols (i32.lt_s (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $ow))))
        (br_if $outputRows (i32.lt_s (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $oh))))
      (br_if $batch (i32.lt_s (local.tee $b (i32.add (local.get $b) (i32.const 1))) (local.get $batches)))))

  ;; OHWI float32 weights [cOut][taps] at $src to float64 [taps][o8] at $dst; the caller has
  ;; zeroed the lanes past cOut.
  (func (export "packWeights") (param $src i32) (param $dst i32) (param $cOut i32) (param $taps i32) (param $o8 i32)
    (local $oc i32) (local $t i32) (local $to i32) (local $row i32)
    (local.set $row (i32.shl (local.get $o8) (i32.const 3)))
    (loop $channels
      (local.set $to (i32.add (local.get $dst) (i32.shl (local.get $oc) (i32.const 3))))
      (local.set $t (i32.const 0))
      (loop $taps
        (f64.store (local.get $to) (f64.promote_f32 (f32.load (local.get $src))))
        (local.set $src (i32.add (local.get $src) (i32.const 4)))
        (local.set $to (i32.add (local.get $to) (local.get $row)))
        (br_if $taps (i32.lt_s (local.tee $t (i32.add (local.get $t) (i32.const 1))) (local.get $taps))))
      (br_if $channels (i32.lt_s (local.tee $oc (i32.add (local.get $oc) (i32.const 1))) (local.get $cOut)))))

  ;; The first `n` (at most four) float32 lanes of `v` at `at`.
  (func $storeLanes (param $at i32) (param $v v128) (param $n i32)
    (if (i32.gt_s (local.get $n) (i32.const 0)) (then (f32.store (local.get $at) (f32x4.extract_lane 0 (local.get $v)))))
    (if (i32.gt_s (local.get $n) (i32.const 1)) (then (f32.store offset=4 (local.get $at) (f32x4.extract_lane 1 (local.get $v)))))
    (if (i32.gt_s (local.get $n) (i32.const 2)) (then (f32.store offset=8 (local.get $at) (f32x4.extract_lane 2 (local.get $v)))))
    (if (i32.gt_s (local.get $n) (i32.const 3)) (then (f32.store offset=12 (local.get $at) (f32x4.extract_lane 3 (local.get $v))))))

  ;; DEPTHWISE_CONV_2D with multiplier 1: input [batches][h][wd][c], weights [kh][kw][c8] and bias
  ;; [c8] (channels padded with zeros to a multiple of eight), output [batches][oh][ow][c]. Each
  ;; output pixel takes its channels eight at a time, four f64x2 sums in registers over the
  ;; in-range taps; the last block stores only the channels that exist. Its reads run up to
  ;; seven values past a pixel's channels, so the input must be followed by 32 bytes the caller
  ;; placed (the lanes that read them are not stored).
  (func (export "depthwise")
    (param $x i32) (param $w i32) (param $bias i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $batches i32) (param $h i32) (param $wd i32) (param $c i32) (param $c8 i32)
    (param $kw i32) (param $dh i32) (param $dw i32) (param $oh i32) (param $ow i32)
    (local $b i32) (local $oy i32) (local $ox i32) (local $entry i32) (local $y0 i32) (local $fy0 i32) (local $fy1 i32)
    (local $x0 i32) (local $fx0 i32) (local $fx1 i32) (local $pixel i32) (local $o i32) (local $oc i32)
    (local $fy i32) (local $fx i32) (local $xp i32) (local $wp i32) (local $left i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $lo v128) (local $hi v128)
    (local.set $o (local.get $out))
    (loop $batch
      (local.set $oy (i32.const 0))
      (loop $outputRows
        (local.set $entry (i32.add (local.get $rows) (i32.mul (local.get $oy) (i32.const 12))))
        (local.set $y0 (i32.load (local.get $entry)))
        (local.set $fy0 (i32.load offset=4 (local.get $entry)))
        (local.set $fy1 (i32.load offset=8 (local.get $entry)))
        (local.set $ox (i32.const 0))
        (loop $outputCols
          (local.set $entry (i32.add (local.get $cols) (i32.mul (local.get $ox) (i32.const 12))))
          (local.set $x0 (i32.load (local.get $entry)))
          (local.set $fx0 (i32.load offset=4 (local.get $entry)))
          (local.set $fx1 (i32.load offset=8 (local.get $entry)))
          (local.set $pixel (i32.add (local.get $x) (i32.shl (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $h)) (local.get $y0)) (local.get $wd)) (local.get $x0)) (local.get $c)) (i32.const 2))))
          (local.set $oc (i32.const 0))
          (loop $channels
            (local.set $a0 (v128.const i64x2 0 0)) (local.set $a1 (v128.const i64x2 0 0))
            (local.set $a2 (v128.const i64x2 0 0)) (local.set $a3 (v128.const i64x2 0 0))
            (local.set $fy (local.get $fy0))
            (block $rowsDone
              (br_if $rowsDone (i32.ge_s (local.get $fy) (local.get $fy1)))
              (br_if $rowsDone (i32.ge_s (local.get $fx0) (local.get $fx1)))
              (loop $kernelRows
                (local.set $fx (local.get $fx0))
                (loop $kernelCols
                  (local.set $xp (i32.add (i32.add (local.get $pixel) (i32.shl (local.get $oc) (i32.const 2)))
                    (i32.shl (i32.mul (i32.add (i32.mul (i32.mul (local.get $fy) (local.get $dh)) (local.get $wd)) (i32.mul (local.get $fx) (local.get $dw))) (local.get $c)) (i32.const 2))))
                  (local.set $wp (i32.add (local.get $w)
                    (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $fy) (local.get $kw)) (local.get $fx)) (local.get $c8)) (local.get $oc)) (i32.const 3))))
                  (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $xp))) (v128.load (local.get $wp)))))
                  (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=8 (local.get $xp))) (v128.load offset=16 (local.get $wp)))))
                  (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=16 (local.get $xp))) (v128.load offset=32 (local.get $wp)))))
                  (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero offset=24 (local.get $xp))) (v128.load offset=48 (local.get $wp)))))
                  (br_if $kernelCols (i32.lt_s (local.tee $fx (i32.add (local.get $fx) (i32.const 1))) (local.get $fx1))))
                (br_if $kernelRows (i32.lt_s (local.tee $fy (i32.add (local.get $fy) (i32.const 1))) (local.get $fy1)))))
            (local.set $wp (i32.add (local.get $bias) (i32.shl (local.get $oc) (i32.const 3))))
            (local.set $lo (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (f64x2.add (local.get $a0) (v128.load (local.get $wp))))
              (f32x4.demote_f64x2_zero (f64x2.add (local.get $a1) (v128.load offset=16 (local.get $wp))))))
            (local.set $hi (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
              (f32x4.demote_f64x2_zero (f64x2.add (local.get $a2) (v128.load offset=32 (local.get $wp))))
              (f32x4.demote_f64x2_zero (f64x2.add (local.get $a3) (v128.load offset=48 (local.get $wp))))))
            (local.set $xp (i32.add (local.get $o) (i32.shl (local.get $oc) (i32.const 2))))
            (local.set $left (i32.sub (local.get $c) (local.get $oc)))
            (if (i32.ge_s (local.get $left) (i32.const 8))
              (then
                (v128.store (local.get $xp) (local.get $lo))
                (v128.store offset=16 (local.get $xp) (local.get $hi)))
              (else
                (call $storeLanes (local.get $xp) (local.get $lo) (local.get $left))
                (call $storeLanes (i32.add (local.get $xp) (i32.const 16)) (local.get $hi) (i32.sub (local.get $left) (i32.const 4)))))
            (br_if $channels (i32.lt_s (local.tee $oc (i32.add (local.get $oc) (i32.const 8))) (local.get $c))))
          (local.set $o (i32.add (local.get $o) (i32.shl (local.get $c) (i32.const 2))))
          (br_if $outputCols (i32.lt_s (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $ow))))
        (br_if $outputRows (i32.lt_s (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $oh))))
      (br_if $batch (i32.lt_s (local.tee $b (i32.add (local.get $b) (i32.const 1))) (local.get $batches)))))
)
