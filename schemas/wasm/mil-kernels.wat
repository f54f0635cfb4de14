;; Element-wise kernels of the MIL executor, four lanes at a time (src/runtimes/mil/kernels.ts
;; lays out the memory and leaves room after every region for a last, partly used vector). Each lane computes what
;; the plain TypeScript loop named on each function computes for its element, bit for bit: a
;; float32 add, subtract, multiply or divide of float32 values rounds to what that loop's float64
;; result rounds to on its store, and selections and bit operations are exact. Where a NaN could
;; come out with other bits than the TypeScript loop gives it (float64 arithmetic may quiet or
;; pick another NaN), a kernel returns nonzero and the caller runs that loop instead.
;;
;; Assembled into src/schema/wasm/mil-kernels.ts by `npm run gen-wasm`; a test checks that the
;; two agree.
(module
  (memory (export "memory") 1)

  ;; data[i], a float32, rounded to the nearest half float, ties to even, kept a float32: what
  ;; roundToHalves (src/ir/float16.ts) makes of it, every NaN payload included. A normal half
  ;; keeps the top 10 fraction bits, rounded on bits 0-12 (a carry bumps the exponent), and so
  ;; does a zero; a vector of only those takes that alone. Otherwise, below 2^-14 the step is a
  ;; fixed 2^-24, which adding and taking away 0.75 (whose float32 ulp is 2^-24) rounds to; from
  ;; 65520 up it is infinity; a NaN keeps its top 10 fraction bits, made quiet.
  (func (export "roundHalves") (param $data i32) (param $n i32)
    (local $end i32) (local $x v128) (local $magnitude v128) (local $sign v128) (local $r v128)
    (local.set $end (i32.add (local.get $data) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $data) (local.get $end)))
        (local.set $x (v128.load (local.get $data)))
        (local.set $magnitude (v128.and (local.get $x) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
        (local.set $r
          (v128.and
            (i32x4.add (i32x4.add (local.get $x) (v128.const i32x4 0xfff 0xfff 0xfff 0xfff))
              (v128.and (i32x4.shr_u (local.get $x) (i32.const 13)) (v128.const i32x4 1 1 1 1)))
            (v128.const i32x4 0xffffe000 0xffffe000 0xffffe000 0xffffe000)))
        (if (i32.eqz (i32x4.all_true
              (v128.or
                ;; magnitude in [0x38800000, 0x477ff000): a normal half
                (i32x4.lt_u (i32x4.sub (local.get $magnitude) (v128.const i32x4 0x38800000 0x38800000 0x38800000 0x38800000))
                  (v128.const i32x4 0x0ef7f000 0x0ef7f000 0x0ef7f000 0x0ef7f000))
                (i32x4.eq (local.get $magnitude) (v128.const i32x4 0 0 0 0)))))
          (then
            (local.set $sign (v128.xor (local.get $x) (local.get $magnitude)))
            ;; below the smallest normal half
            (local.set $r
              (v128.bitselect
                (v128.or (local.get $sign)
                  (f32x4.sub (f32x4.add (local.get $magnitude) (v128.const f32x4 0.75 0.75 0.75 0.75)) (v128.const f32x4 0.75 0.75 0.75 0.75)))
                (local.get $r)
                (i32x4.lt_s (local.get $magnitude) (v128.const i32x4 0x38800000 0x38800000 0x38800000 0x38800000))))
            ;; finite values past the largest half become infinity
            (local.set $r
              (v128.bitselect
                (v128.or (local.get $sign) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))
                (local.get $r)
                (v128.and
                  (i32x4.ge_s (local.get $magnitude) (v128.const i32x4 0x477ff000 0x477ff000 0x477ff000 0x477ff000))
                  (i32x4.lt_s (local.get $magnitude) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)))))
            ;; infinity stays; a NaN is made quiet on its top 10 fraction bits
            (local.set $r
              (v128.bitselect
                (v128.or (v128.and (local.get $x) (v128.const i32x4 0xffffe000 0xffffe000 0xffffe000 0xffffe000))
                  (v128.const i32x4 0x00400000 0x00400000 0x00400000 0x00400000))
                (local.get $r)
                (i32x4.gt_s (local.get $magnitude) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))
            (local.set $r
              (v128.bitselect (local.get $x) (local.get $r)
                (i32x4.eq (local.get $magnitude) (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000))))))
        (v128.store (local.get $data) (local.get $r))
        (local.set $data (i32.add (local.get $data) (i32.const 16)))
        (br $quads))))

  ;; out[i] = a[i] + b[i] (and -, *, /, max, min below) for i below n rounded up to a multiple of
  ;; four. `a` and `b` advance by their steps, 16 bytes or 0 (a scalar stored four times). Returns
  ;; nonzero when a result is NaN.
  (func (export "add") (param $a i32) (param $da i32) (param $b i32) (param $db i32) (param $out i32) (param $n i32) (result i32)
    (local $end i32) (local $r v128) (local $nan v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $r (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
        (v128.store (local.get $out) (local.get $r))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $r) (local.get $r))))
        (local.set $a (i32.add (local.get $a) (local.get $da)))
        (local.set $b (i32.add (local.get $b) (local.get $db)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $quads)))
    (v128.any_true (local.get $nan)))

  (func (export "sub") (param $a i32) (param $da i32) (param $b i32) (param $db i32) (param $out i32) (param $n i32) (result i32)
    (local $end i32) (local $r v128) (local $nan v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $r (f32x4.sub (v128.load (local.get $a)) (v128.load (local.get $b))))
        (v128.store (local.get $out) (local.get $r))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $r) (local.get $r))))
        (local.set $a (i32.add (local.get $a) (local.get $da)))
        (local.set $b (i32.add (local.get $b) (local.get $db)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $quads)))
    (v128.any_true (local.get $nan)))

  (func (export "mul") (param $a i32) (param $da i32) (param $b i32) (param $db i32) (param $out i32) (param $n i32) (result i32)
    (local $end i32) (local $r v128) (local $nan v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $r (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
        (v128.store (local.get $out) (local.get $r))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $r) (local.get $r))))
        (local.set $a (i32.add (local.get $a) (local.get $da)))
        (local.set $b (i32.add (local.get $b) (local.get $db)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $quads)))
    (v128.any_true (local.get $nan)))

  (func (export "div") (param $a i32) (param $da i32) (param $b i32) (param $db i32) (param $out i32) (param $n i32) (result i32)
    (local $end i32) (local $r v128) (local $nan v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $r (f32x4.div (v128.load (local.get $a)) (v128.load (local.get $b))))
        (v128.store (local.get $out) (local.get $r))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $r) (local.get $r))))
        (local.set $a (i32.add (local.get $a) (local.get $da)))
        (local.set $b (i32.add (local.get $b) (local.get $db)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $quads)))
    (v128.any_true (local.get $nan)))

  ;; a[i] > b[i] ? a[i] : b[i], the lane's bits picked whole
  (func (export "max") (param $a i32) (param $da i32) (param $b i32) (param $db i32) (param $out i32) (param $n i32) (result i32)
    (local $end i32) (local $u v128) (local $v v128) (local $r v128) (local $nan v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $u (v128.load (local.get $a)))
        (local.set $v (v128.load (local.get $b)))
        (local.set $r (v128.bitselect (local.get $u) (local.get $v) (f32x4.gt (local.get $u) (local.get $v))))
        (v128.store (local.get $out) (local.get $r))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $r) (local.get $r))))
        (local.set $a (i32.add (local.get $a) (local.get $da)))
        (local.set $b (i32.add (local.get $b) (local.get $db)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $quads)))
    (v128.any_true (local.get $nan)))

  ;; a[i] < b[i] ? a[i] : b[i]
  (func (export "min") (param $a i32) (param $da i32) (param $b i32) (param $db i32) (param $out i32) (param $n i32) (result i32)
    (local $end i32) (local $u v128) (local $v v128) (local $r v128) (local $nan v128)
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (local.set $u (v128.load (local.get $a)))
        (local.set $v (v128.load (local.get $b)))
        (local.set $r (v128.bitselect (local.get $u) (local.get $v) (f32x4.lt (local.get $u) (local.get $v))))
        (v128.store (local.get $out) (local.get $r))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $r) (local.get $r))))
        (local.set $a (i32.add (local.get $a) (local.get $da)))
        (local.set $b (i32.add (local.get $b) (local.get $db)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $quads)))
    (v128.any_true (local.get $nan)))

  ;; data[i] = Math.min(Math.max(data[i], lo), hi): fmin and fmax order -0 below +0 as Math.min
  ;; and Math.max do. Returns nonzero when a result is NaN.
  (func (export "clip") (param $data i32) (param $n i32) (param $lo f32) (param $hi f32) (result i32)
    (local $end i32) (local $los v128) (local $his v128) (local $r v128) (local $nan v128)
    (local.set $end (i32.add (local.get $data) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $los (f32x4.splat (local.get $lo)))
    (local.set $his (f32x4.splat (local.get $hi)))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $data) (local.get $end)))
        (local.set $r (f32x4.min (f32x4.max (v128.load (local.get $data)) (local.get $los)) (local.get $his)))
        (v128.store (local.get $data) (local.get $r))
        (local.set $nan (v128.or (local.get $nan) (f32x4.ne (local.get $r) (local.get $r))))
        (local.set $data (i32.add (local.get $data) (i32.const 16)))
        (br $quads)))
    (v128.any_true (local.get $nan)))

  ;; data[i] = max(0, data[i]) on the bits, as relu (src/runtimes/tensor.ts) computes it with
  ;; `keep`: a set sign bit gives +0, a NaN keeps its bits.
  (func (export "relu") (param $data i32) (param $n i32)
    (local $end i32) (local $x v128)
    (local.set $end (i32.add (local.get $data) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $quads
        (br_if $done (i32.ge_u (local.get $data) (local.get $end)))
        (local.set $x (v128.load (local.get $data)))
        (v128.store (local.get $data)
          (v128.and (local.get $x)
            (v128.or (v128.not (i32x4.shr_s (local.get $x) (i32.const 31)))
              ;; all ones for a NaN: its magnitude is above infinity's
              (i32x4.shr_s
                (i32x4.sub (v128.const i32x4 0x7f800000 0x7f800000 0x7f800000 0x7f800000)
                  (v128.and (local.get $x) (v128.const i32x4 0x7fffffff 0x7fffffff 0x7fffffff 0x7fffffff)))
                (i32.const 31)))))
        (local.set $data (i32.add (local.get $data) (i32.const 16)))
        (br $quads)))))
