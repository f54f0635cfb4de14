;; IEEE binary16 to binary32, four halves at a time, for constant folding
;; (src/passes/widen-halves.ts lays out the memory). Every half has an exact float32, and each
;; lane computes its bit pattern as src/ir/float16.ts's table holds it: a normal half moves its
;; exponent and fraction up by 13 bits and rebiases the exponent by 112; infinities and NaNs
;; (magnitude above 0x7bff) rebias by 224 so the exponent is all ones, keeping the payload; a
;; subnormal half or zero (magnitude below 0x400) is its fraction times 2^-24, which one
;; conversion and one multiply by a power of two give exactly (the signed conversion: a magnitude
;; is never negative, and it takes a third less time than the unsigned one). The sign goes on last.
;;
;; Assembled into src/schema/wasm/float16.ts by `npm run gen-wasm`; a test checks that the two
;; agree.
(module
  (memory (export "memory") 1)

;; dst[i] = the float32 of half src[i], for i below n rounded up to a multiple of four (the
  ;; caller leaves room; the lanes past n are ignored).
  (func (export "widenHalves") (param $src i32) (param $dst i32) (param $n i32)
    (local $end i32) (local $half v128) (local $magnitude v128) (local $normal v128)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $n) (i32.const 1))))
    (block $done
      (loop $fours
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        ;; Four halves, one in the low 16 bits of each lane.
        (local.set $half (v128.load16x4_u (local.get $src)))
        (local.set $magnitude (v128.and (local.get $half) (i32x4.splat (i32.const 0x7fff))))
        (local.set $normal (i32x4.add (i32x4.shl (local.get $magnitude) (i32.const 13)) (i32x4.splat (i32.const 0x38000000))))
        (v128.store (local.get $dst)
          (v128.or
            (i32x4.shl (v128.and (local.get $half) (i32x4.splat (i32.const 0x8000))) (i32.const 16))
            (v128.bitselect
              (f32x4.mul (f32x4.convert_i32x4_s (local.get $magnitude)) (f32x4.splat (f32.const 0x1p-24)))
              (v128.bitselect
                (i32x4.add (local.get $normal) (i32x4.splat (i32.const 0x38000000)))
                (local.get $normal)
                (i32x4.gt_u (local.get $magnitude) (i32x4.splat (i32.const 0x7bff))))
              (i32x4.lt_u (local.get $magnitude) (i32x4.splat (i32.const 0x400))))))
        (local.set $src (i32.add (local.get $src) (i32.const 8)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $fours)))))
