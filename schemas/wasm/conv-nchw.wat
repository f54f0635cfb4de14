;; The loops of src/runtimes/conv-nchw.ts, which lays out the memory and documents the sum each
;; output takes:
;; bias, then the in-range taps in (input channel, kernel row, kernel column) order, in float64,
;; rounded to float32 once. Both kernels keep that order for every output. Their SIMD lanes hold
;; adjacent output positions, never parts of one sum, and a multiply and an add stay two
;; roundings (WebAssembly has no fused multiply-add outside relaxed SIMD, which is not used).
;;
;; Memory, all of it placed by the caller: input and weights as float64 (widened once per call,
;; not once per tap), bias as float64, output as float32, and for `conv` one table per axis of
;; (origin, first tap, end tap) int32 triples per output row or column (runtimes/window.ts), a
;; table of kernel column offsets and, for some strided convolutions, the input split into
;; phases.
;;
;; Assembled into src/schema/wasm/conv-nchw.ts by `npm run gen-wasm`; a test checks that the two
;; agree.
(module
  (memory (export "memory") 1)

  ;; A 1x1 convolution with stride 1, no padding and one group: out[oc][p] = bias[oc] +
  ;; w[oc][0] * x[0][p] + w[oc][1] * x[1][p] + ..., a product of matrices. Four output channels
  ;; and four positions go together (eight f64x2 sums in registers), so each input value loaded
  ;; serves four sums and each weight four. Past the last channel, the last one is computed again
  ;; and stored again, unchanged; the last block of a tile of positions is moved back to end with the tile, so it
  ;; recomputes a few outputs of the block before it, to the same values. Needs hw >= 4. Positions
  ;; go in tiles of 256, every channel of a tile before the next tile, so the tile's input (256
  ;; positions of every plane) stays in cache while the channels read it again: reading the
  ;; whole input once per four channels cost 10-30% more on the large maps.
  (func (export "pointwise")
    (param $x i32)        ;; input plane 0; plane ic starts ic * $xStride bytes further
    (param $xStride i32)
    (param $w i32)        ;; weights [cOut][kc]
    (param $bias i32)     ;; [cOut]
    (param $out i32)      ;; output [cOut][hw]
    (param $kc i32) (param $hw i32) (param $cOut i32)
    (local $oc i32) (local $p i32) (local $q i32) (local $i i32) (local $end i32) (local $xp i32) (local $t i32) (local $tEnd i32)
    (local $w0 i32) (local $w1 i32) (local $w2 i32) (local $w3 i32)
    (local $o0 i32) (local $o1 i32) (local $o2 i32) (local $o3 i32)
    (local $b0 v128) (local $b1 v128) (local $b2 v128) (local $b3 v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128)
    (local $lo v128) (local $hi v128) (local $wv v128)
    (local.set $end (i32.shl (local.get $kc) (i32.const 3)))
    (loop $tiles
      (local.set $tEnd (select (i32.add (local.get $t) (i32.const 256)) (local.get $hw)
        (i32.lt_s (i32.add (local.get $t) (i32.const 256)) (local.get $hw))))
    (loop $channels
      (local.set $w0 (call $channelRow (local.get $w) (local.get $end) (local.get $oc) (local.get $cOut)))
      (local.set $w1 (call $channelRow (local.get $w) (local.get $end) (i32.add (local.get $oc) (i32.const 1)) (local.get $cOut)))
      (local.set $w2 (call $channelRow (local.get $w) (local.get $end) (i32.add (local.get $oc) (i32.const 2)) (local.get $cOut)))
      (local.set $w3 (call $channelRow (local.get $w) (local.get $end) (i32.add (local.get $oc) (i32.const 3)) (local.get $cOut)))
      (local.set $b0 (v128.load64_splat (call $channelRow (local.get $bias) (i32.const 8) (local.get $oc) (local.get $cOut))))
      (local.set $b1 (v128.load64_splat (call $channelRow (local.get $bias) (i32.const 8) (i32.add (local.get $oc) (i32.const 1)) (local.get $cOut))))
      (local.set $b2 (v128.load64_splat (call $channelRow (local.get $bias) (i32.const 8) (i32.add (local.get $oc) (i32.const 2)) (local.get $cOut))))
      (local.set $b3 (v128.load64_splat (call $channelRow (local.get $bias) (i32.const 8) (i32.add (local.get $oc) (i32.const 3)) (local.get $cOut))))
      (local.set $i (i32.shl (local.get $hw) (i32.const 2)))
      (local.set $o0 (call $channelRow (local.get $out) (local.get $i) (local.get $oc) (local.get $cOut)))
      (local.set $o1 (call $channelRow (local.get $out) (local.get $i) (i32.add (local.get $oc) (i32.const 1)) (local.get $cOut)))
      (local.set $o2 (call $channelRow (local.get $out) (local.get $i) (i32.add (local.get $oc) (i32.const 2)) (local.get $cOut)))
      (local.set $o3 (call $channelRow (local.get $out) (local.get $i) (i32.add (local.get $oc) (i32.const 3)) (local.get $cOut)))
      (local.set $p (local.get $t))
      (loop $positions
        (local.set $q (select (local.get $p) (i32.sub (local.get $tEnd) (i32.const 4)) (i32.le_s (i32.add (local.get $p) (i32.const 4)) (local.get $tEnd))))
        (local.set $a0 (local.get $b0)) (local.set $a1 (local.get $b0))
        (local.set $a2 (local.get $b1)) (local.set $a3 (local.get $b1))
        (local.set $a4 (local.get $b2)) (local.set $a5 (local.get $b2))
        (local.set $a6 (local.get $b3)) (local.set $a7 (local.get $b3))
        (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $q) (i32.const 3))))
        (local.set $i (i32.const 0))
        (loop $inputs
          (local.set $lo (v128.load (local.get $xp)))
          (local.set $hi (v128.load offset=16 (local.get $xp)))
          (local.set $wv (v128.load64_splat (i32.add (local.get $w0) (local.get $i))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wv) (local.get $lo))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wv) (local.get $hi))))
          (local.set $wv (v128.load64_splat (i32.add (local.get $w1) (local.get $i))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wv) (local.get $lo))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wv) (local.get $hi))))
          (local.set $wv (v128.load64_splat (i32.add (local.get $w2) (local.get $i))))
          (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $wv) (local.get $lo))))
          (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $wv) (local.get $hi))))
          (local.set $wv (v128.load64_splat (i32.add (local.get $w3) (local.get $i))))
          (local.set $a6 (f64x2.add (local.get $a6) (f64x2.mul (local.get $wv) (local.get $lo))))
          (local.set $a7 (f64x2.add (local.get $a7) (f64x2.mul (local.get $wv) (local.get $hi))))
          (local.set $xp (i32.add (local.get $xp) (local.get $xStride)))
          (br_if $inputs (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 8))) (local.get $end))))
        (local.set $i (i32.shl (local.get $q) (i32.const 2)))
        (v128.store (i32.add (local.get $o0) (local.get $i)) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (local.get $a0)) (f32x4.demote_f64x2_zero (local.get $a1))))
        (v128.store (i32.add (local.get $o1) (local.get $i)) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (local.get $a2)) (f32x4.demote_f64x2_zero (local.get $a3))))
        (v128.store (i32.add (local.get $o2) (local.get $i)) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (local.get $a4)) (f32x4.demote_f64x2_zero (local.get $a5))))
        (v128.store (i32.add (local.get $o3) (local.get $i)) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
          (f32x4.demote_f64x2_zero (local.get $a6)) (f32x4.demote_f64x2_zero (local.get $a7))))
        (br_if $positions (i32.lt_s (local.tee $p (i32.add (local.get $p) (i32.const 4))) (local.get $tEnd))))
      (br_if $channels (i32.lt_s (local.tee $oc (i32.add (local.get $oc) (i32.const 4))) (local.get $cOut))))
      (local.set $oc (i32.const 0))
      (br_if $tiles (i32.lt_s (local.tee $t (local.get $tEnd)) (local.get $hw)))))

  ;; A convolution (any kernel, strides, dilation, padding, groups), group by group ($group),
  ;; so a group's output channels all read the same input planes: a call per group from the
  ;; caller cost more than a depthwise layer's small planes. $x, $xw, $w, $bias and $out are
  ;; group 0's; $cOut counts the output channels of one group.
  (func (export "conv")
    (param $x i32) (param $xw i32) (param $taps i32) (param $rowW i32) (param $lane i32)
    (param $w i32) (param $bias i32) (param $out i32) (param $rows i32) (param $cols i32)
    (param $kc i32) (param $h i32) (param $wd i32) (param $cOut i32)
    (param $kh i32) (param $kw i32) (param $dh i32) (param $dw i32)
    (param $oh i32) (param $ow i32) (param $ox0 i32) (param $ox1 i32) (param $oy0 i32) (param $oy1 i32) (param $groups i32)
    (loop $eachGroup
      (call $group (local.get $x) (local.get $xw) (local.get $taps) (local.get $rowW) (local.get $lane)
        (local.get $w) (local.get $bias) (local.get $out) (local.get $rows) (local.get $cols)
        (local.get $kc) (local.get $h) (local.get $wd) (local.get $cOut)
        (local.get $kh) (local.get $kw) (local.get $dh) (local.get $dw)
        (local.get $oh) (local.get $ow) (local.get $ox0) (local.get $ox1) (local.get $oy0) (local.get $oy1))
      (local.set $x (i32.add (local.get $x) (i32.shl (i32.mul (local.get $kc) (i32.mul (local.get $h) (local.get $wd))) (i32.const 3))))
      (local.set $xw (i32.add (local.get $xw) (i32.mul (local.get $kc) (i32.mul (local.get $h) (local.get $rowW)))))
      (local.set $w (i32.add (local.get $w)
        (i32.shl (i32.mul (local.get $cOut) (i32.mul (local.get $kc) (i32.mul (local.get $kh) (local.get $kw)))) (i32.const 3))))
      (local.set $bias (i32.add (local.get $bias) (i32.shl (local.get $cOut) (i32.const 3))))
      (local.set $out (i32.add (local.get $out) (i32.shl (i32.mul (local.get $cOut) (i32.mul (local.get $oh) (local.get $ow))) (i32.const 2))))
      (br_if $eachGroup (local.tee $groups (i32.sub (local.get $groups) (i32.const 1))))))

  ;; One group of conv, output row by output row, and in a row channel by channel. A row's interior
  ;; columns [ox0, ox1), whose windows lie inside the input across, go in blocks of twelve (six
  ;; f64x2 sums: with eight sums, V8's fifteen vector registers ran out and a sum went through
  ;; the stack on every tap; with four, each tap waits on the latency of the previous tap's adds), or
  ;; of eight where the interior is narrower than twelve, the last block moved back to end at
  ;; ox1; the row's kernel rows are those its table entry keeps in range. Every other output, and
  ;; every output of a row whose interior is narrower than eight, is summed over its in-range
  ;; kernel rows and columns: alone in the rows that lose kernel rows to the padding, four rows
  ;; at a time in the others ($column4).
  ;;
  ;; The blocks read the input in a layout of their own, at $xw: at stride 1 the input itself; at
  ;; other strides either each row split by column into $sw phases (columns p, p + sw, p + 2 sw,
  ;; ...; splitPhases), so the outputs of a block read adjacent values of one phase and every
  ;; f64x2 takes one load, or the input itself again, read two loads per f64x2 ($lane bytes
  ;; apart). $taps holds, per kernel column, the byte offset of that tap of output q from
  ;; q * $lane in a row of that layout ($rowW bytes a row).
  (func $group
    (param $x i32)        ;; input [kc][h][wd]
    (param $xw i32)       ;; the blocks' layout of the input
    (param $taps i32)     ;; [kw] int32 offsets
    (param $rowW i32)
    (param $lane i32)     ;; bytes between adjacent outputs' taps in that layout: 8, or a stride's without phases
    (param $w i32)        ;; weights [cOut][kc][kh][kw]
    (param $bias i32)     ;; [cOut]
    (param $out i32)      ;; output [cOut][oh][ow]
    (param $rows i32) (param $cols i32)
    (param $kc i32) (param $h i32) (param $wd i32) (param $cOut i32)
    (param $kh i32) (param $kw i32) (param $dh i32) (param $dw i32)
    (param $oh i32) (param $ow i32) (param $ox0 i32) (param $ox1 i32) (param $oy0 i32) (param $oy1 i32)
    (local $full i32) (local $lead i32) (local $g1 i32) (local $g2 i32) (local $g3 i32) (local $d1 i32) (local $d2 i32) (local $d3 i32)
    (local $rowBytes i32) (local $plane i32) (local $dstep i32) (local $wide i32)
    (local $planeW i32) (local $rowStepW i32) (local $xwRow i32)
    (local $oc i32) (local $wo i32) (local $bs f64)
    (local $oy i32) (local $entry i32) (local $y0 i32) (local $fy0 i32) (local $fy1 i32) (local $o i32)
    (local $ox i32) (local $q i32) (local $xq i32) (local $fx0 i32) (local $fx1 i32)
    (local $ic i32) (local $ky i32) (local $kx i32) (local $xrow i32) (local $xr i32) (local $wrow i32) (local $wr i32) (local $s f64)
    (local $rowStep i32)
    (local.set $rowBytes (i32.shl (local.get $wd) (i32.const 3)))
    (local.set $plane (i32.mul (local.get $h) (local.get $rowBytes)))
    (local.set $planeW (i32.mul (local.get $h) (local.get $rowW)))
    (local.set $rowStep (i32.mul (local.get $dh) (local.get $rowBytes)))
    (local.set $rowStepW (i32.mul (local.get $dh) (local.get $rowW)))
    (local.set $dstep (i32.shl (local.get $dw) (i32.const 3)))
    (local.set $wide (i32.ge_s (i32.sub (local.get $ox1) (local.get $ox0)) (i32.const 8)))
    ;; Row by row, every output channel of a row before the next row: the channels then read
    ;; the same few input rows while they are in cache.
    (loop $outputRows
      (local.set $entry (i32.add (local.get $rows) (i32.mul (local.get $oy) (i32.const 12))))
      (local.set $y0 (i32.load (local.get $entry)))
      (local.set $fy0 (i32.load offset=4 (local.get $entry)))
      (local.set $fy1 (i32.load offset=8 (local.get $entry)))
      ;; Rows [oy0, oy1) take every kernel row. Their border outputs go four rows at a time,
      ;; led by rows oy0, oy0 + 4, ...; the last group repeats its last row in the lanes past oy1.
      (local.set $full (i32.and (i32.ge_s (local.get $oy) (local.get $oy0)) (i32.lt_s (local.get $oy) (local.get $oy1))))
      (local.set $lead (i32.and (local.get $full) (i32.eqz (i32.and (i32.sub (local.get $oy) (local.get $oy0)) (i32.const 3)))))
      (if (local.get $lead) (then
        (local.set $d1 (i32.sub (call $lastRow (i32.add (local.get $oy) (i32.const 1)) (local.get $oy1)) (local.get $oy)))
        (local.set $d2 (i32.sub (call $lastRow (i32.add (local.get $oy) (i32.const 2)) (local.get $oy1)) (local.get $oy)))
        (local.set $d3 (i32.sub (call $lastRow (i32.add (local.get $oy) (i32.const 3)) (local.get $oy1)) (local.get $oy)))
        ;; input bytes from this row's windows to those of the rows in lanes 1-3
        (local.set $g1 (i32.mul (i32.sub (i32.load (i32.add (local.get $entry) (i32.mul (local.get $d1) (i32.const 12)))) (local.get $y0)) (local.get $rowBytes)))
        (local.set $g2 (i32.mul (i32.sub (i32.load (i32.add (local.get $entry) (i32.mul (local.get $d2) (i32.const 12)))) (local.get $y0)) (local.get $rowBytes)))
        (local.set $g3 (i32.mul (i32.sub (i32.load (i32.add (local.get $entry) (i32.mul (local.get $d3) (i32.const 12)))) (local.get $y0)) (local.get $rowBytes)))
        ;; and output bytes to their rows
        (local.set $d1 (i32.shl (i32.mul (local.get $d1) (local.get $ow)) (i32.const 2)))
        (local.set $d2 (i32.shl (i32.mul (local.get $d2) (local.get $ow)) (i32.const 2)))
        (local.set $d3 (i32.shl (i32.mul (local.get $d3) (local.get $ow)) (i32.const 2)))))
      ;; kernel row fy0 of this output row in the phase layout
      (local.set $xwRow (i32.add (local.get $xw)
        (i32.mul (i32.add (local.get $y0) (i32.mul (local.get $fy0) (local.get $dh))) (local.get $rowW))))
      (local.set $oc (i32.const 0))
      (loop $channels
        ;; this channel's weights, its bias and its output row
        (local.set $wo (i32.add (local.get $w)
          (i32.shl (i32.mul (local.get $oc) (i32.mul (local.get $kc) (i32.mul (local.get $kh) (local.get $kw)))) (i32.const 3))))
        (local.set $bs (f64.load (i32.add (local.get $bias) (i32.shl (local.get $oc) (i32.const 3)))))
        (local.set $o (i32.add (local.get $out)
          (i32.shl (i32.mul (i32.add (i32.mul (local.get $oc) (local.get $oh)) (local.get $oy)) (local.get $ow)) (i32.const 2))))
        (if (i32.and (local.get $wide) (i32.lt_s (local.get $fy0) (local.get $fy1))) (then
          ;; weights (ic, fy0, 0) of input channel 0
          (local.set $wr (i32.add (local.get $wo) (i32.shl (i32.mul (local.get $fy0) (local.get $kw)) (i32.const 3))))
          (local.set $q (i32.sub (local.get $fy1) (local.get $fy0)))
          (if (i32.ne (local.get $lane) (i32.const 8))
            (then
              (call $strided8 (local.get $xwRow) (local.get $lane) (local.get $taps) (local.get $wr) (local.get $bs) (local.get $o) (local.get $ox0) (local.get $ox1)
                (local.get $kc) (local.get $planeW) (local.get $rowStepW) (local.get $q) (local.get $kh) (local.get $kw)))
            (else
              (if (i32.ge_s (i32.sub (local.get $ox1) (local.get $ox0)) (i32.const 12))
                (then
                  (call $wide12 (local.get $xwRow) (local.get $taps) (local.get $wr) (local.get $bs) (local.get $o) (local.get $ox0) (local.get $ox1)
                    (local.get $kc) (local.get $planeW) (local.get $rowStepW) (local.get $q) (local.get $kh) (local.get $kw)))
                (else
                  (call $wide8 (local.get $xwRow) (local.get $taps) (local.get $wr) (local.get $bs) (local.get $o) (local.get $ox0) (local.get $ox1)
                    (local.get $kc) (local.get $planeW) (local.get $rowStepW) (local.get $q) (local.get $kh) (local.get $kw))))))))
        ;; an interior whose windows lie wholly in the padding sums the bias alone
        (if (i32.and (local.get $wide) (i32.ge_s (local.get $fy0) (local.get $fy1))) (then
          (local.set $ox (local.get $ox0))
          (loop $biasOnly
            (f32.store (i32.add (local.get $o) (i32.shl (local.get $ox) (i32.const 2))) (f32.demote_f64 (local.get $bs)))
            (br_if $biasOnly (i32.lt_s (local.tee $ox (i32.add (local.get $ox) (i32.const 1))) (local.get $ox1))))))
        (local.set $ox (i32.const 0))
        (block $rowDone
          (loop $singles
            (if (i32.and (local.get $wide) (i32.eq (local.get $ox) (local.get $ox0))) (then (local.set $ox (local.get $ox1))))
            (br_if $rowDone (i32.ge_s (local.get $ox) (local.get $ow)))
            (local.set $entry (i32.add (local.get $cols) (i32.mul (local.get $ox) (i32.const 12))))
            (local.set $xq (i32.add (local.get $x) (i32.shl (i32.load (local.get $entry)) (i32.const 3))))
            (local.set $fx0 (i32.load offset=4 (local.get $entry)))
            (local.set $fx1 (i32.load offset=8 (local.get $entry)))
            (if (local.get $lead) (then
              (call $column4
                (i32.add (local.get $xq) (i32.add (i32.mul (local.get $y0) (local.get $rowBytes)) (i32.mul (local.get $fx0) (local.get $dstep))))
                (local.get $g1) (local.get $g2) (local.get $g3)
                (i32.add (local.get $wo) (i32.shl (local.get $fx0) (i32.const 3))) (local.get $bs)
                (i32.add (local.get $o) (i32.shl (local.get $ox) (i32.const 2))) (local.get $d1) (local.get $d2) (local.get $d3)
                (local.get $kc) (local.get $plane) (local.get $rowStep) (local.get $kh) (local.get $kw)
                (i32.sub (local.get $fx1) (local.get $fx0)) (local.get $dstep))))
            ;; a row that takes every kernel row but does not lead had its border written by its lead
            (if (i32.eqz (local.get $full)) (then
              (local.set $s (local.get $bs))
              (local.set $ic (i32.const 0))
              (loop $inputs1
                (local.set $ky (local.get $fy0))
                (if (i32.and (i32.lt_s (local.get $ky) (local.get $fy1)) (i32.lt_s (local.get $fx0) (local.get $fx1))) (then
                  (local.set $xrow (i32.add (i32.add (local.get $xq) (i32.mul (local.get $ic) (local.get $plane)))
                    (i32.add (i32.mul (i32.add (local.get $y0) (i32.mul (local.get $ky) (local.get $dh))) (local.get $rowBytes))
                      (i32.mul (local.get $fx0) (local.get $dstep)))))
                  (local.set $wrow (i32.add (local.get $wo)
                    (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $ic) (local.get $kh)) (local.get $ky)) (local.get $kw)) (local.get $fx0)) (i32.const 3))))
                  (loop $kernelRows1
                    (local.set $xr (local.get $xrow))
                    (local.set $wr (local.get $wrow))
                    (local.set $kx (local.get $fx0))
                    (loop $taps1
                      (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (local.get $wr)) (f64.load (local.get $xr)))))
                      (local.set $xr (i32.add (local.get $xr) (local.get $dstep)))
                      (local.set $wr (i32.add (local.get $wr) (i32.const 8)))
                      (br_if $taps1 (i32.lt_s (local.tee $kx (i32.add (local.get $kx) (i32.const 1))) (local.get $fx1))))
                    (local.set $xrow (i32.add (local.get $xrow) (local.get $rowStep)))
                    (local.set $wrow (i32.add (local.get $wrow) (i32.shl (local.get $kw) (i32.const 3))))
                    (br_if $kernelRows1 (i32.lt_s (local.tee $ky (i32.add (local.get $ky) (i32.const 1))) (local.get $fy1))))))
                (br_if $inputs1 (i32.lt_s (local.tee $ic (i32.add (local.get $ic) (i32.const 1))) (local.get $kc))))
              (f32.store (i32.add (local.get $o) (i32.shl (local.get $ox) (i32.const 2))) (f32.demote_f64 (local.get $s)))))
            (local.set $ox (i32.add (local.get $ox) (i32.const 1)))
            (br $singles)))
        (br_if $channels (i32.lt_s (local.tee $oc (i32.add (local.get $oc) (i32.const 1))) (local.get $cOut))))
      (br_if $outputRows (i32.lt_s (local.tee $oy (i32.add (local.get $oy) (i32.const 1))) (local.get $oh)))))

  ;; One border output in each of four rows that take every kernel row (lanes 0-1 of $a0, 2-3 of
  ;; $a1): $xa is tap (0, 0, fx0) of the first, $g1-$g3 the input bytes from it to the others'
  ;; taps, $w0 weight (0, 0, fx0), $o the first's output, $d1-$d3 the bytes to the others'; $n
  ;; columns fx0, fx0 + 1, ... of every kernel row are in range (none: the bias alone). Four
  ;; sums at once: one alone waits on the latency of each add.
  (func $column4
    (param $xa i32) (param $g1 i32) (param $g2 i32) (param $g3 i32) (param $w0 i32) (param $bs f64)
    (param $o i32) (param $d1 i32) (param $d2 i32) (param $d3 i32)
    (param $kc i32) (param $plane i32) (param $rowStep i32) (param $kh i32) (param $kw i32) (param $n i32) (param $dstep i32)
    (local $ky i32) (local $kx i32) (local $xrow i32) (local $xr i32) (local $wr i32) (local $wSkip i32)
    (local $a0 v128) (local $a1 v128) (local $wv v128)
    (local.set $a0 (f64x2.splat (local.get $bs)))
    (local.set $a1 (local.get $a0))
    (if (i32.gt_s (local.get $n) (i32.const 0)) (then
      (local.set $wr (local.get $w0))
      ;; from past the last column taken of a kernel row to the first of the next
      (local.set $wSkip (i32.shl (i32.sub (local.get $kw) (local.get $n)) (i32.const 3)))
      (loop $inputs
        (local.set $xrow (local.get $xa))
        (local.set $ky (local.get $kh))
        (loop $kernelRows
          (local.set $xr (local.get $xrow))
          (local.set $kx (local.get $n))
          (loop $taps
            (local.set $wv (v128.load64_splat (local.get $wr)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wv)
              (v128.load64_lane 1 (i32.add (local.get $xr) (local.get $g1)) (v128.load64_zero (local.get $xr))))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wv)
              (v128.load64_lane 1 (i32.add (local.get $xr) (local.get $g3)) (v128.load64_zero (i32.add (local.get $xr) (local.get $g2)))))))
            (local.set $xr (i32.add (local.get $xr) (local.get $dstep)))
            (local.set $wr (i32.add (local.get $wr) (i32.const 8)))
            (br_if $taps (local.tee $kx (i32.sub (local.get $kx) (i32.const 1)))))
          (local.set $wr (i32.add (local.get $wr) (local.get $wSkip)))
          (local.set $xrow (i32.add (local.get $xrow) (local.get $rowStep)))
          (br_if $kernelRows (local.tee $ky (i32.sub (local.get $ky) (i32.const 1)))))
        (local.set $xa (i32.add (local.get $xa) (local.get $plane)))
        (br_if $inputs (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))))
    ;; lanes past the last row repeat it: their stores write its value again
    (f32.store (local.get $o) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a0))))
    (f32.store (i32.add (local.get $o) (local.get $d1)) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a0))))
    (f32.store (i32.add (local.get $o) (local.get $d2)) (f32.demote_f64 (f64x2.extract_lane 0 (local.get $a1))))
    (f32.store (i32.add (local.get $o) (local.get $d3)) (f32.demote_f64 (f64x2.extract_lane 1 (local.get $a1)))))

  ;; min(r, end - 1)
  (func $lastRow (param $r i32) (param $end i32) (result i32)
    (select (local.get $r) (i32.sub (local.get $end) (i32.const 1)) (i32.lt_s (local.get $r) (local.get $end))))

  ;; The interior outputs [ox0, ox1) of one output row and channel, twelve at a time (six f64x2
  ;; sums), the last block moved back to end at ox1 (needs ox1 - ox0 >= 12). $xRow is the first
  ;; kernel row taken in input channel 0, in the blocks' layout, for output 0 at kernel column
  ;; offset 0 (tap kx adds $taps[kx]); $w0 that kernel row's weights; $rows kernel rows (at
  ;; least one) of every input channel; $oRow the output row.
  (func $wide12
    (param $xRow i32) (param $taps i32) (param $w0 i32) (param $bs f64) (param $oRow i32) (param $ox0 i32) (param $ox1 i32)
    (param $kc0 i32) (param $planeW i32) (param $rowStepW i32) (param $rows i32) (param $kh i32) (param $kw i32)
    (local $ox i32) (local $q i32) (local $xb i32) (local $wr i32) (local $o i32) (local $kc i32) (local $ky i32) (local $xrow i32) (local $xr i32) (local $tp i32) (local $tEnd i32) (local $wSkip i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $a4 v128) (local $a5 v128) (local $wv v128)
    (local.set $tEnd (i32.add (local.get $taps) (i32.shl (local.get $kw) (i32.const 2))))
    ;; from the last kernel row taken of one input channel to the first of the next
    (local.set $wSkip (i32.shl (i32.mul (i32.sub (local.get $kh) (local.get $rows)) (local.get $kw)) (i32.const 3)))
    (local.set $ox (local.get $ox0))
    (loop $blocks
      (local.set $q (select (local.get $ox) (i32.sub (local.get $ox1) (i32.const 12)) (i32.le_s (i32.add (local.get $ox) (i32.const 12)) (local.get $ox1))))
      (local.set $xb (i32.add (local.get $xRow) (i32.shl (local.get $q) (i32.const 3))))
      (local.set $wr (local.get $w0))
      (local.set $o (i32.add (local.get $oRow) (i32.shl (local.get $q) (i32.const 2))))
      (local.set $kc (local.get $kc0))
      (local.set $a0 (f64x2.splat (local.get $bs))) (local.set $a1 (local.get $a0))
      (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
      (local.set $a4 (local.get $a0)) (local.set $a5 (local.get $a0))
      (loop $inputs
        (local.set $xrow (local.get $xb))
        (local.set $ky (local.get $rows))
        (loop $kernelRows
          (local.set $tp (local.get $taps))
          (loop $taps
            (local.set $xr (i32.add (local.get $xrow) (i32.load (local.get $tp))))
            (local.set $wv (v128.load64_splat (local.get $wr)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wv) (v128.load (local.get $xr)))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wv) (v128.load offset=16 (local.get $xr)))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wv) (v128.load offset=32 (local.get $xr)))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wv) (v128.load offset=48 (local.get $xr)))))
            (local.set $a4 (f64x2.add (local.get $a4) (f64x2.mul (local.get $wv) (v128.load offset=64 (local.get $xr)))))
            (local.set $a5 (f64x2.add (local.get $a5) (f64x2.mul (local.get $wv) (v128.load offset=80 (local.get $xr)))))
            (local.set $wr (i32.add (local.get $wr) (i32.const 8)))
            (br_if $taps (i32.lt_u (local.tee $tp (i32.add (local.get $tp) (i32.const 4))) (local.get $tEnd))))
          (local.set $xrow (i32.add (local.get $xrow) (local.get $rowStepW)))
          (br_if $kernelRows (local.tee $ky (i32.sub (local.get $ky) (i32.const 1)))))
        (local.set $xb (i32.add (local.get $xb) (local.get $planeW)))
        (local.set $wr (i32.add (local.get $wr) (local.get $wSkip)))
        (br_if $inputs (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
      (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a0)) (f32x4.demote_f64x2_zero (local.get $a1))))
      (v128.store offset=16 (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a2)) (f32x4.demote_f64x2_zero (local.get $a3))))
      (v128.store offset=32 (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a4)) (f32x4.demote_f64x2_zero (local.get $a5))))
      (br_if $blocks (i32.lt_s (local.tee $ox (i32.add (local.get $ox) (i32.const 12))) (local.get $ox1)))))

  ;; $wide12 in blocks of eight (four f64x2 sums), for interiors of eight to eleven outputs.
  (func $wide8
    (param $xRow i32) (param $taps i32) (param $w0 i32) (param $bs f64) (param $oRow i32) (param $ox0 i32) (param $ox1 i32)
    (param $kc0 i32) (param $planeW i32) (param $rowStepW i32) (param $rows i32) (param $kh i32) (param $kw i32)
    (local $ox i32) (local $q i32) (local $xb i32) (local $wr i32) (local $o i32) (local $kc i32) (local $ky i32) (local $xrow i32) (local $xr i32) (local $tp i32) (local $tEnd i32) (local $wSkip i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wv v128)
    (local.set $tEnd (i32.add (local.get $taps) (i32.shl (local.get $kw) (i32.const 2))))
    (local.set $wSkip (i32.shl (i32.mul (i32.sub (local.get $kh) (local.get $rows)) (local.get $kw)) (i32.const 3)))
    (local.set $ox (local.get $ox0))
    (loop $blocks
      (local.set $q (select (local.get $ox) (i32.sub (local.get $ox1) (i32.const 8)) (i32.le_s (i32.add (local.get $ox) (i32.const 8)) (local.get $ox1))))
      (local.set $xb (i32.add (local.get $xRow) (i32.shl (local.get $q) (i32.const 3))))
      (local.set $wr (local.get $w0))
      (local.set $o (i32.add (local.get $oRow) (i32.shl (local.get $q) (i32.const 2))))
      (local.set $kc (local.get $kc0))
      (local.set $a0 (f64x2.splat (local.get $bs))) (local.set $a1 (local.get $a0))
      (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
      (loop $inputs
        (local.set $xrow (local.get $xb))
        (local.set $ky (local.get $rows))
        (loop $kernelRows
          (local.set $tp (local.get $taps))
          (loop $taps
            (local.set $xr (i32.add (local.get $xrow) (i32.load (local.get $tp))))
            (local.set $wv (v128.load64_splat (local.get $wr)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wv) (v128.load (local.get $xr)))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wv) (v128.load offset=16 (local.get $xr)))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wv) (v128.load offset=32 (local.get $xr)))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wv) (v128.load offset=48 (local.get $xr)))))
            (local.set $wr (i32.add (local.get $wr) (i32.const 8)))
            (br_if $taps (i32.lt_u (local.tee $tp (i32.add (local.get $tp) (i32.const 4))) (local.get $tEnd))))
          (local.set $xrow (i32.add (local.get $xrow) (local.get $rowStepW)))
          (br_if $kernelRows (local.tee $ky (i32.sub (local.get $ky) (i32.const 1)))))
        (local.set $xb (i32.add (local.get $xb) (local.get $planeW)))
        (local.set $wr (i32.add (local.get $wr) (local.get $wSkip)))
        (br_if $inputs (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
      (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a0)) (f32x4.demote_f64x2_zero (local.get $a1))))
      (v128.store offset=16 (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a2)) (f32x4.demote_f64x2_zero (local.get $a3))))
      (br_if $blocks (i32.lt_s (local.tee $ox (i32.add (local.get $ox) (i32.const 8))) (local.get $ox1)))))

  ;; $wide8 for outputs $lane bytes apart in the input: two loads per f64x2.
  (func $strided8
    (param $xRow i32) (param $lane i32) (param $taps i32) (param $w0 i32) (param $bs f64) (param $oRow i32) (param $ox0 i32) (param $ox1 i32)
    (param $kc0 i32) (param $planeW i32) (param $rowStepW i32) (param $rows i32) (param $kh i32) (param $kw i32)
    (local $ox i32) (local $q i32) (local $xb i32) (local $wr i32) (local $o i32) (local $kc i32) (local $ky i32) (local $xrow i32) (local $xr i32) (local $tp i32) (local $tEnd i32) (local $wSkip i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $wv v128)
    (local $lane2 i32) (local $lane3 i32) (local $lane4 i32) (local $lane5 i32) (local $lane6 i32) (local $lane7 i32)
    (local.set $lane2 (i32.shl (local.get $lane) (i32.const 1)))
    (local.set $lane3 (i32.add (local.get $lane2) (local.get $lane)))
    (local.set $lane4 (i32.shl (local.get $lane) (i32.const 2)))
    (local.set $lane5 (i32.add (local.get $lane4) (local.get $lane)))
    (local.set $lane6 (i32.add (local.get $lane4) (local.get $lane2)))
    (local.set $lane7 (i32.add (local.get $lane6) (local.get $lane)))
    (local.set $tEnd (i32.add (local.get $taps) (i32.shl (local.get $kw) (i32.const 2))))
    (local.set $wSkip (i32.shl (i32.mul (i32.sub (local.get $kh) (local.get $rows)) (local.get $kw)) (i32.const 3)))
    (local.set $ox (local.get $ox0))
    (loop $blocks
      (local.set $q (select (local.get $ox) (i32.sub (local.get $ox1) (i32.const 8)) (i32.le_s (i32.add (local.get $ox) (i32.const 8)) (local.get $ox1))))
      (local.set $xb (i32.add (local.get $xRow) (i32.mul (local.get $q) (local.get $lane))))
      (local.set $wr (local.get $w0))
      (local.set $o (i32.add (local.get $oRow) (i32.shl (local.get $q) (i32.const 2))))
      (local.set $kc (local.get $kc0))
      (local.set $a0 (f64x2.splat (local.get $bs))) (local.set $a1 (local.get $a0))
      (local.set $a2 (local.get $a0)) (local.set $a3 (local.get $a0))
      (loop $inputs
        (local.set $xrow (local.get $xb))
        (local.set $ky (local.get $rows))
        (loop $kernelRows
          (local.set $tp (local.get $taps))
          (loop $taps
            (local.set $xr (i32.add (local.get $xrow) (i32.load (local.get $tp))))
            (local.set $wv (v128.load64_splat (local.get $wr)))
            (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $wv)
              (v128.load64_lane 1 (i32.add (local.get $xr) (local.get $lane)) (v128.load64_zero (local.get $xr))))))
            (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $wv)
              (v128.load64_lane 1 (i32.add (local.get $xr) (local.get $lane3)) (v128.load64_zero (i32.add (local.get $xr) (local.get $lane2)))))))
            (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $wv)
              (v128.load64_lane 1 (i32.add (local.get $xr) (local.get $lane5)) (v128.load64_zero (i32.add (local.get $xr) (local.get $lane4)))))))
            (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $wv)
              (v128.load64_lane 1 (i32.add (local.get $xr) (local.get $lane7)) (v128.load64_zero (i32.add (local.get $xr) (local.get $lane6)))))))
            (local.set $wr (i32.add (local.get $wr) (i32.const 8)))
            (br_if $taps (i32.lt_u (local.tee $tp (i32.add (local.get $tp) (i32.const 4))) (local.get $tEnd))))
          (local.set $xrow (i32.add (local.get $xrow) (local.get $rowStepW)))
          (br_if $kernelRows (local.tee $ky (i32.sub (local.get $ky) (i32.const 1)))))
        (local.set $xb (i32.add (local.get $xb) (local.get $planeW)))
        (local.set $wr (i32.add (local.get $wr) (local.get $wSkip)))
        (br_if $inputs (local.tee $kc (i32.sub (local.get $kc) (i32.const 1)))))
      (v128.store (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a0)) (f32x4.demote_f64x2_zero (local.get $a1))))
      (v128.store offset=16 (local.get $o) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23
        (f32x4.demote_f64x2_zero (local.get $a2)) (f32x4.demote_f64x2_zero (local.get $a3))))
      (br_if $blocks (i32.lt_s (local.tee $ox (i32.add (local.get $ox) (i32.const 8))) (local.get $ox1)))))

  ;; Rows of $wd float64 values at $x into rows of $stride phases of $phaseWidth at $out: column c
  ;; goes to value c / stride of phase c mod stride (the layout conv's blocks read).
  (func (export "splitPhases")
    (param $x i32) (param $rows i32) (param $wd i32) (param $stride i32) (param $phaseWidth i32) (param $out i32)
    (local $rowEnd i32) (local $phase i32) (local $from i32) (local $to i32) (local $step i32) (local $rowOut i32)
    (local.set $step (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $rowOut (i32.shl (i32.mul (local.get $stride) (local.get $phaseWidth)) (i32.const 3)))
    (loop $rowLoop
      (local.set $rowEnd (i32.add (local.get $x) (i32.shl (local.get $wd) (i32.const 3))))
      (local.set $phase (i32.const 0))
      (loop $phases
        (local.set $from (i32.add (local.get $x) (i32.shl (local.get $phase) (i32.const 3))))
        (local.set $to (i32.add (local.get $out) (i32.shl (i32.mul (local.get $phase) (local.get $phaseWidth)) (i32.const 3))))
        (block $phaseDone
          (loop $values
            (br_if $phaseDone (i32.ge_u (local.get $from) (local.get $rowEnd)))
            (f64.store (local.get $to) (f64.load (local.get $from)))
            (local.set $from (i32.add (local.get $from) (local.get $step)))
            (local.set $to (i32.add (local.get $to) (i32.const 8)))
            (br $values)))
        (br_if $phases (i32.lt_s (local.tee $phase (i32.add (local.get $phase) (i32.const 1))) (local.get $stride))))
      (local.set $x (local.get $rowEnd))
      (local.set $out (i32.add (local.get $out) (local.get $rowOut)))
      (br_if $rowLoop (local.tee $rows (i32.sub (local.get $rows) (i32.const 1))))))

  ;; The address of row min(c, cOut - 1) of a table of `size`-byte rows.
  (func $channelRow (param $base i32) (param $size i32) (param $c i32) (param $cOut i32) (result i32)
    (i32.add (local.get $base)
      (i32.mul (local.get $size) (select (local.get $c) (i32.sub (local.get $cOut) (i32.const 1)) (i32.lt_s (local.get $c) (local.get $cOut))))))
)
