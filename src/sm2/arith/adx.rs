//! The hot field and point operations in x86-64 assembly with MULX (BMI2) and ADCX/ADOX
//! (ADX), for CPUs that have both ([`available`]): Montgomery multiplication and squaring
//! mod p, and two whole point operations, each one block with its intermediate values in
//! registers or a small stack frame: the a = −3 doubling (eight products, fourteen additions,
//! subtractions and doublings), run `n` times in place by one loop, and the mixed Jacobian +
//! affine addition (eleven products, seven additions and subtractions).
//!
//! Same algorithms, inputs and outputs as the portable code: the multiplication is
//! `montgomery.rs`'s (schoolbook product, then four multiplication-free reduction steps for
//! p's special form and one subtraction of p kept or dropped with CMOV), and the point
//! operations are `point.rs`'s formulas step by step, so every result is the same canonical
//! value below p. The tests in `montgomery.rs` hold the multiplication and squaring to
//! fiat-crypto; the tests below hold the point operations to the portable formulas.
//!
//! Each row of the schoolbook product runs two carry chains, CF over the low halves and OF
//! over the high halves, so the additions of a row do not wait on each other.
//!
//! Constant time: fixed instruction sequences, no branches but the doubling loop's (on the
//! public count of doublings), and memory accesses whose addresses do not depend on the
//! values.
#![allow(unsafe_code)]

/// Whether the CPU runs MULX, ADCX and ADOX (std caches the CPUID answer). Tests can turn
/// the assembly off on their own thread (`portable_only` in `mod.rs`).
#[inline(always)]
pub(super) fn available() -> bool {
    #[cfg(test)]
    if super::portable_forced() {
        return false;
    }
    std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx")
}

/// r11:…:r8 plus the carry in rax (together below 2p) reduced below p: p is subtracted into
/// r15:…:r12 and kept with CMOV where that did not borrow. Clobbers rax, rcx, rdx, r12–r15
/// and the flags.
macro_rules! subtract_p_once {
    () => {
        concat!(
            "mov rcx, 0xffffffff00000000\n",
            "mov rdx, 0xfffffffeffffffff\n",
            "mov r12, r8\n",
            "mov r13, r9\n",
            "mov r14, r10\n",
            "mov r15, r11\n",
            "sub r12, -1\n",
            "sbb r13, rcx\n",
            "sbb r14, -1\n",
            "sbb r15, rdx\n",
            // No borrow out of carry·2²⁵⁶ + value − p: the value was at least p.
            "sbb rax, 0\n",
            "cmovnc r8, r12\n",
            "cmovnc r9, r13\n",
            "cmovnc r10, r14\n",
            "cmovnc r11, r15\n",
        )
    };
}

/// The reduction shared by [`mul`] and [`square`]: T = r15:…:r8 (r11:…:r8 the low half) in,
/// T·2⁻²⁵⁶ mod p out in r11:…:r8. Each step takes m = the lowest limb and adds m at limbs 0
/// and 3 and subtracts m·2³² at limbs 0 and 2 of the rest ((W + m·p)/2⁶⁴, see
/// `montgomery.rs`); the limbs rotate one register each step, so after four they are back
/// in r8–r11. Then the high half is added and p subtracted once. Clobbers rax, rcx, rdx,
/// r12–r15 and the flags.
macro_rules! reduce {
    () => {
        concat!(
            // The shift count of SHLX/SHRX.
            "mov edx, 32\n",
            reduce_step!("r8", "r9", "r10", "r11"),
            reduce_step!("r9", "r10", "r11", "r8"),
            reduce_step!("r10", "r11", "r8", "r9"),
            reduce_step!("r11", "r8", "r9", "r10"),
            "xor eax, eax\n",
            "add r8, r12\n",
            "adc r9, r13\n",
            "adc r10, r14\n",
            "adc r11, r15\n",
            "adc rax, 0\n",
            subtract_p_once!(),
        )
    };
}

/// One reduction step with m in `$m` and the rest of the low half in `$a`, `$b`, `$c`: the
/// result is `$a`, `$b`, `$c`, `$m` (lowest first).
macro_rules! reduce_step {
    ($m:literal, $a:literal, $b:literal, $c:literal) => {
        concat!(
            "shlx rax, ",
            $m,
            ", rdx\n",
            "shrx rcx, ",
            $m,
            ", rdx\n",
            "add ",
            $a,
            ", ",
            $m,
            "\n",
            "adc ",
            $b,
            ", 0\n",
            "adc ",
            $c,
            ", 0\n",
            "adc ",
            $m,
            ", 0\n",
            "sub ",
            $a,
            ", rax\n",
            "sbb ",
            $b,
            ", rcx\n",
            "sbb ",
            $c,
            ", rax\n",
            "sbb ",
            $m,
            ", rcx\n",
        )
    };
}

/// One row of the product, rdx = aᵢ, adding aᵢ·b (`[rdi]`) into `$t0`…`$t3` and setting
/// `$t4`: low halves on the CF chain, high halves on the OF chain, both carries into the new
/// limb.
macro_rules! mul_row {
    ($t0:literal, $t1:literal, $t2:literal, $t3:literal, $t4:literal) => {
        concat!(
            "xor eax, eax\n",
            "mulx rcx, rax, [rdi]\n",
            "adcx ",
            $t0,
            ", rax\n",
            "adox ",
            $t1,
            ", rcx\n",
            "mulx rcx, rax, [rdi + 8]\n",
            "adcx ",
            $t1,
            ", rax\n",
            "adox ",
            $t2,
            ", rcx\n",
            "mulx rcx, rax, [rdi + 16]\n",
            "adcx ",
            $t2,
            ", rax\n",
            "adox ",
            $t3,
            ", rcx\n",
            "mulx ",
            $t4,
            ", rax, [rdi + 24]\n",
            "adcx ",
            $t3,
            ", rax\n",
            "mov eax, 0\n",
            "adcx ",
            $t4,
            ", rax\n",
            "adox ",
            $t4,
            ", rax\n",
        )
    };
}

/// a·b·2⁻²⁵⁶ mod p for a = `[rsi]`, b = `[rdi]` (both below p) into r11:…:r8. Clobbers rax,
/// rcx, rdx, r12–r15 and the flags.
macro_rules! mul_body {
    () => {
        concat!(
            // Row 0: a₀·b into r12:…:r8.
            "mov rdx, [rsi]\n",
            "mulx r9, r8, [rdi]\n",
            "mulx r10, rax, [rdi + 8]\n",
            "add r9, rax\n",
            "mulx r11, rax, [rdi + 16]\n",
            "adc r10, rax\n",
            "mulx r12, rax, [rdi + 24]\n",
            "adc r11, rax\n",
            "adc r12, 0\n",
            "mov rdx, [rsi + 8]\n",
            mul_row!("r9", "r10", "r11", "r12", "r13"),
            "mov rdx, [rsi + 16]\n",
            mul_row!("r10", "r11", "r12", "r13", "r14"),
            "mov rdx, [rsi + 24]\n",
            mul_row!("r11", "r12", "r13", "r14", "r15"),
            reduce!(),
        )
    };
}

/// a²·2⁻²⁵⁶ mod p for a = `[rsi]` (below p) into r11:…:r8: the six cross products, doubled,
/// plus the four squares. Clobbers rax, rcx, rdx, r12–r15 and the flags.
macro_rules! square_body {
    () => {
        concat!(
            // Cross products a₀·(a₁, a₂, a₃) into r12:…:r9.
            "mov rdx, [rsi]\n",
            "mulx r10, r9, [rsi + 8]\n",
            "mulx r11, rax, [rsi + 16]\n",
            "add r10, rax\n",
            "mulx r12, rax, [rsi + 24]\n",
            "adc r11, rax\n",
            "adc r12, 0\n",
            // a₁·(a₂, a₃) into r13:…:r11.
            "mov rdx, [rsi + 8]\n",
            "xor eax, eax\n",
            "mulx rcx, rax, [rsi + 16]\n",
            "adcx r11, rax\n",
            "adox r12, rcx\n",
            "mulx r13, rax, [rsi + 24]\n",
            "adcx r12, rax\n",
            "mov eax, 0\n",
            "adcx r13, rax\n",
            "adox r13, rax\n",
            // a₂·a₃ into r14:r13.
            "mov rdx, [rsi + 16]\n",
            "mulx r14, rax, [rsi + 24]\n",
            "add r13, rax\n",
            "adc r14, 0\n",
            // Doubled: r15:…:r9 = 2·cross.
            "xor r15d, r15d\n",
            "add r9, r9\n",
            "adc r10, r10\n",
            "adc r11, r11\n",
            "adc r12, r12\n",
            "adc r13, r13\n",
            "adc r14, r14\n",
            "adc r15, 0\n",
            // Plus the squares aᵢ² at limbs 2i, 2i + 1 (MOV and MULX keep the carry).
            "mov rdx, [rsi]\n",
            "mulx rcx, r8, rdx\n",
            "add r9, rcx\n",
            "mov rdx, [rsi + 8]\n",
            "mulx rcx, rax, rdx\n",
            "adc r10, rax\n",
            "adc r11, rcx\n",
            "mov rdx, [rsi + 16]\n",
            "mulx rcx, rax, rdx\n",
            "adc r12, rax\n",
            "adc r13, rcx\n",
            "mov rdx, [rsi + 24]\n",
            "mulx rcx, rax, rdx\n",
            "adc r14, rax\n",
            "adc r15, rcx\n",
            reduce!(),
        )
    };
}

/// r11:…:r8 + `$m` mod p (both below p). Clobbers rax, rcx, rdx, r12–r15 and the flags.
macro_rules! add_mem {
    ($m:literal) => {
        concat!(
            "xor eax, eax\n",
            "add r8, [",
            $m,
            "]\n",
            "adc r9, [",
            $m,
            " + 8]\n",
            "adc r10, [",
            $m,
            " + 16]\n",
            "adc r11, [",
            $m,
            " + 24]\n",
            "adc rax, 0\n",
            subtract_p_once!(),
        )
    };
}

/// 2·r11:…:r8 mod p (below p). Clobbers rax, rcx, rdx, r12–r15 and the flags.
macro_rules! double_regs {
    () => {
        concat!(
            "xor eax, eax\n",
            "add r8, r8\n",
            "adc r9, r9\n",
            "adc r10, r10\n",
            "adc r11, r11\n",
            "adc rax, 0\n",
            subtract_p_once!(),
        )
    };
}

/// r11:…:r8 − `$m` mod p (both below p): the difference, plus p under the borrow's mask.
/// Clobbers rax, r13, r15 and the flags.
macro_rules! sub_mem {
    ($m:literal) => {
        concat!(
            "sub r8, [",
            $m,
            "]\n",
            "sbb r9, [",
            $m,
            " + 8]\n",
            "sbb r10, [",
            $m,
            " + 16]\n",
            "sbb r11, [",
            $m,
            " + 24]\n",
            // rax = all ones where it borrowed; p's limbs 0 and 2 are all ones.
            "sbb rax, rax\n",
            "mov r13, 0xffffffff00000000\n",
            "and r13, rax\n",
            "mov r15, 0xfffffffeffffffff\n",
            "and r15, rax\n",
            "add r8, rax\n",
            "adc r9, r13\n",
            "adc r10, rax\n",
            "adc r11, r15\n",
        )
    };
}

/// Loads r11:…:r8 from `$m`.
macro_rules! load {
    ($m:literal) => {
        concat!(
            "mov r8, [",
            $m,
            "]\n",
            "mov r9, [",
            $m,
            " + 8]\n",
            "mov r10, [",
            $m,
            " + 16]\n",
            "mov r11, [",
            $m,
            " + 24]\n",
        )
    };
}

/// Stores r11:…:r8 at `$m`.
macro_rules! store {
    ($m:literal) => {
        concat!(
            "mov [",
            $m,
            "], r8\n",
            "mov [",
            $m,
            " + 8], r9\n",
            "mov [",
            $m,
            " + 16], r10\n",
            "mov [",
            $m,
            " + 24], r11\n",
        )
    };
}

/// Runs `$body`, a product that reads a at `[rsi]` and b at `[rdi]` and leaves its result in
/// r11:…:r8, on the limbs `$a` and `$b`, and returns the result.
macro_rules! product {
    ($body:expr, $a:expr, $b:expr) => {{
        let (a, b): (&[u64; 4], &[u64; 4]) = ($a, $b);
        let (r0, r1, r2, r3);
        // SAFETY: the assembly reads the 32 bytes of `a` (rsi) and of `b` (rdi), both valid
        // `[u64; 4]` references, and nothing else in memory; it writes only registers, all of
        // which are declared (rax, rcx, rdx, r8–r15 as outputs or clobbers; the flags are
        // clobbered by default) and does not touch the stack. MULX/ADCX/ADOX need BMI2 and
        // ADX, which the caller checked with `available`.
        unsafe {
            core::arch::asm!(
                $body,
                in("rsi") a.as_ptr(),
                in("rdi") b.as_ptr(),
                out("rax") _,
                out("rcx") _,
                out("rdx") _,
                out("r8") r0,
                out("r9") r1,
                out("r10") r2,
                out("r11") r3,
                out("r12") _,
                out("r13") _,
                out("r14") _,
                out("r15") _,
                options(pure, readonly, nostack),
            );
        }
        [r0, r1, r2, r3]
    }};
}

/// a·b·2⁻²⁵⁶ mod p for a, b < p. Only call when [`available`].
#[inline(always)]
pub(super) fn mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    debug_assert!(available());
    product!(mul_body!(), a, b)
}

/// a²·2⁻²⁵⁶ mod p for a < p. Only call when [`available`].
#[inline(always)]
pub(super) fn square(a: &[u64; 4]) -> [u64; 4] {
    debug_assert!(available());
    product!(square_body!(), a, a)
}

/// The Jacobian point (X, Y, Z) (each below p, Montgomery form) doubled `n` times in place
/// with a = −3, each doubling as
/// [`Jacobian::double_portable`](super::point::Jacobian::double_portable) computes it:
/// δ = Z², γ = Y², β = X·γ, α = 3·(X − δ)·(X + δ), X₃ = α² − 8β, Z₃ = 2·Y·Z,
/// Y₃ = α·(4β − X₃) − 8γ². One loop inside the assembly runs them all: each doubling reads
/// and writes the caller's array directly, with no copy or call between doublings; n = 0
/// leaves it untouched. Only call when [`available`].
#[inline(never)]
pub(super) fn double_n_in_place(point: &mut [[u64; 4]; 3], n: usize) {
    debug_assert!(available());
    // SAFETY: for n = 0 the assembly touches nothing. Otherwise it reads and writes the 96
    // bytes of `point` (a valid, exclusively borrowed array of three `[u64; 4]`), and
    // otherwise only its own stack frame: it pushes the caller's rbx and then keeps the
    // point's pointer in rbx, moves rsp down by a 16-byte multiple for six 32-byte
    // temporaries and the count, and restores both before it ends (the block is not
    // `nostack`, so the stack below rsp is free to use). Each doubling reads X before it
    // writes X₃, and Y and Z before it writes Z₃ and Y₃, so working in place gives the same
    // results as a separate output. Every other register it writes is declared as a
    // clobber; the flags are clobbered by default.
    // MULX/ADCX/ADOX need BMI2 and ADX, which the caller checked with `available`.
    unsafe {
        core::arch::asm!(
            "test rcx, rcx",
            "jz 3f",
            "push rbx",
            "mov rbx, rsi",
            "sub rsp, 208",
            "mov [rsp + 192], rcx",
            "2:",
            // Frame: δ at [rsp], γ at +32, 4β at +64, α at +96, two temporaries at +128 and
            // +160, the doublings left at +192. X, Y, Z at [rbx], +32, +64, and X₃, Y₃, Z₃
            // in their place.
            // δ = Z²
            "lea rsi, [rbx + 64]",
            square_body!(),
            store!("rsp"),
            // γ = Y²
            "lea rsi, [rbx + 32]",
            square_body!(),
            store!("rsp + 32"),
            // 4β = 4·X·γ
            "mov rsi, rbx",
            "lea rdi, [rsp + 32]",
            mul_body!(),
            double_regs!(),
            double_regs!(),
            store!("rsp + 64"),
            // X − δ and X + δ
            load!("rbx"),
            sub_mem!("rsp"),
            store!("rsp + 128"),
            load!("rbx"),
            add_mem!("rsp"),
            store!("rsp + 160"),
            // α = 3·(X − δ)·(X + δ)
            "lea rsi, [rsp + 128]",
            "lea rdi, [rsp + 160]",
            mul_body!(),
            store!("rsp + 128"),
            double_regs!(),
            add_mem!("rsp + 128"),
            store!("rsp + 96"),
            // X₃ = α² − 2·4β
            "lea rsi, [rsp + 96]",
            square_body!(),
            sub_mem!("rsp + 64"),
            sub_mem!("rsp + 64"),
            store!("rbx"),
            // Z₃ = 2·Y·Z
            "lea rsi, [rbx + 32]",
            "lea rdi, [rbx + 64]",
            mul_body!(),
            double_regs!(),
            store!("rbx + 64"),
            // 8γ²
            "lea rsi, [rsp + 32]",
            square_body!(),
            double_regs!(),
            double_regs!(),
            double_regs!(),
            store!("rsp + 160"),
            // Y₃ = α·(4β − X₃) − 8γ²
            load!("rsp + 64"),
            sub_mem!("rbx"),
            store!("rsp + 128"),
            "lea rsi, [rsp + 96]",
            "lea rdi, [rsp + 128]",
            mul_body!(),
            sub_mem!("rsp + 160"),
            store!("rbx + 32"),
            "dec qword ptr [rsp + 192]",
            "jnz 2b",
            "add rsp, 208",
            "pop rbx",
            "3:",
            inout("rsi") point.as_mut_ptr() => _,
            inout("rcx") n => _,
            out("rax") _,
            out("rdx") _,
            out("rdi") _,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("r13") _,
            out("r14") _,
            out("r15") _,
        );
    }
}

/// (X₁, Y₁, Z₁) + (x₂, y₂) (Jacobian plus affine, each coordinate below p, Montgomery form)
/// by the mixed formula, as `Jacobian::add_mixed_formula` computes it: Z₁Z₁ = Z₁²,
/// U₂ = x₂·Z₁Z₁, S₂ = y₂·Z₁·Z₁Z₁, H = U₂ − X₁, R = S₂ − Y₁, HH = H², HHH = HH·H, V = X₁·HH,
/// X₃ = R² − HHH − 2V, Y₃ = R·(V − X₃) − Y₁·HHH, Z₃ = Z₁·H. Also returns the OR of H's limbs
/// and of R's (zero exactly when H = 0, R = 0). Only call when [`available`].
#[inline(never)]
pub(super) fn add_mixed(
    point: &[[u64; 4]; 3],
    affine: &[[u64; 4]; 2],
) -> ([[u64; 4]; 3], u64, u64) {
    debug_assert!(available());
    let mut out = [[0u64; 4]; 3];
    let (h_bits, r_bits);
    // SAFETY: the assembly reads the 96 bytes of `point` and the 64 bytes of `affine` and
    // writes the 96 bytes of `out` (distinct, valid arrays of `[u64; 4]`), and otherwise only
    // its own stack frame: it saves rbx (which holds the point's pointer) on the stack, moves
    // rsp down by a 16-byte multiple for seven 32-byte temporaries and the other two
    // pointers, and restores both before it ends (the block is not `nostack`, so the stack
    // below rsp is free to use). Every other register it writes is declared as an
    // output or a clobber; the flags are clobbered by default. MULX/ADCX/ADOX need BMI2 and
    // ADX, which the caller checked with `available`.
    unsafe {
        core::arch::asm!(
            "push rbx",
            "mov rbx, rsi",
            "sub rsp, 240",
            "mov [rsp + 224], rdx",
            "mov [rsp + 232], rdi",
            // Frame: Z₁Z₁ at [rsp], H at +32, R at +64, HH at +96, HHH at +128, V at +160, a
            // temporary at +192, the output pointer at +224, the affine point's at +232.
            // X₁, Y₁, Z₁ at [rbx], +32, +64.
            // Z₁Z₁ = Z₁²
            "lea rsi, [rbx + 64]",
            square_body!(),
            store!("rsp"),
            // H = x₂·Z₁Z₁ − X₁
            "mov rsi, [rsp + 232]",
            "mov rdi, rsp",
            mul_body!(),
            sub_mem!("rbx"),
            store!("rsp + 32"),
            // R = y₂·Z₁·Z₁Z₁ − Y₁
            "mov rsi, [rsp + 232]",
            "add rsi, 32",
            "lea rdi, [rbx + 64]",
            mul_body!(),
            store!("rsp + 192"),
            "lea rsi, [rsp + 192]",
            "mov rdi, rsp",
            mul_body!(),
            sub_mem!("rbx + 32"),
            store!("rsp + 64"),
            // HH = H², HHH = HH·H, V = X₁·HH
            "lea rsi, [rsp + 32]",
            square_body!(),
            store!("rsp + 96"),
            "lea rsi, [rsp + 96]",
            "lea rdi, [rsp + 32]",
            mul_body!(),
            store!("rsp + 128"),
            "mov rsi, rbx",
            "lea rdi, [rsp + 96]",
            mul_body!(),
            store!("rsp + 160"),
            // X₃ = R² − HHH − 2V
            "lea rsi, [rsp + 64]",
            square_body!(),
            sub_mem!("rsp + 128"),
            sub_mem!("rsp + 160"),
            sub_mem!("rsp + 160"),
            "mov r14, [rsp + 224]",
            store!("r14"),
            // Y₃ = R·(V − X₃) − Y₁·HHH (Y₁·HHH parked where HH was)
            load!("rsp + 160"),
            sub_mem!("r14"),
            store!("rsp + 192"),
            "lea rsi, [rbx + 32]",
            "lea rdi, [rsp + 128]",
            mul_body!(),
            store!("rsp + 96"),
            "lea rsi, [rsp + 64]",
            "lea rdi, [rsp + 192]",
            mul_body!(),
            sub_mem!("rsp + 96"),
            "mov r14, [rsp + 224]",
            store!("r14 + 32"),
            // Z₃ = Z₁·H
            "lea rsi, [rbx + 64]",
            "lea rdi, [rsp + 32]",
            mul_body!(),
            "mov r14, [rsp + 224]",
            store!("r14 + 64"),
            // The OR of H's limbs in rax, of R's in rcx.
            "mov rax, [rsp + 32]",
            "or rax, [rsp + 40]",
            "or rax, [rsp + 48]",
            "or rax, [rsp + 56]",
            "mov rcx, [rsp + 64]",
            "or rcx, [rsp + 72]",
            "or rcx, [rsp + 80]",
            "or rcx, [rsp + 88]",
            "add rsp, 240",
            "pop rbx",
            inout("rsi") point.as_ptr() => _,
            inout("rdi") affine.as_ptr() => _,
            inout("rdx") out.as_mut_ptr() => _,
            out("rax") h_bits,
            out("rcx") r_bits,
            out("r8") _,
            out("r9") _,
            out("r10") _,
            out("r11") _,
            out("r12") _,
            out("r13") _,
            out("r14") _,
            out("r15") _,
        );
    }
    (out, h_bits, r_bits)
}

#[cfg(test)]
mod tests {
    use rand_chacha::ChaCha20Rng;
    use rand_core::SeedableRng;

    use super::super::field::Fe;
    use super::super::montgomery::tests::{edge_values, random_below_p};
    use super::super::point::Jacobian;
    use super::*;

    /// The assembly doubling gives exactly the portable formula's coordinates (the same
    /// canonical values below p) for (X, Y, Z) drawn from the field edges and at random: the
    /// formula is an identity over the field, so the inputs need not be curve points, and
    /// Z = 0 (infinity) is among them.
    fn assert_same_double(x: [u64; 4], y: [u64; 4], z: [u64; 4]) {
        let portable = Jacobian::from_montgomery_limbs([x, y, z]).double_portable();
        let mut ours = [x, y, z];
        double_n_in_place(&mut ours, 1);
        assert_eq!(
            ours,
            portable.montgomery_limbs(),
            "double of ({x:x?}, {y:x?}, {z:x?})"
        );
    }

    /// Says so when the CPU cannot run the assembly, so a skipped test does not look like a
    /// passed one.
    fn skipped() -> bool {
        if !available() {
            eprintln!("no BMI2 and ADX here: the assembly is not tested");
        }
        !available()
    }

    #[test]
    fn double_matches_the_portable_formula() {
        if skipped() {
            return;
        }
        let mut rng = ChaCha20Rng::seed_from_u64(130);
        let edges = edge_values();
        for x in &edges {
            for y in &edges {
                for z in &edges {
                    assert_same_double(*x, *y, *z);
                }
            }
        }
        for _ in 0..20_000 {
            let (x, y, z) = (
                random_below_p(&mut rng),
                random_below_p(&mut rng),
                random_below_p(&mut rng),
            );
            assert_same_double(x, y, z);
        }
    }

    /// The assembly mixed addition gives exactly the portable formula's coordinates and H = 0,
    /// R = 0 answers, for coordinates drawn from the field edges and at random (again an
    /// identity over the field, so not only curve points), and for q = ±self and q = self
    /// scaled to another Z, where H = 0.
    #[test]
    fn add_mixed_matches_the_portable_formula() {
        if skipped() {
            return;
        }
        let check = |p: [[u64; 4]; 3], q: [[u64; 4]; 2]| {
            let point = Jacobian::from_montgomery_limbs(p);
            let affine = super::super::point::Affine {
                x: Fe::from_montgomery_limbs(q[0]),
                y: Fe::from_montgomery_limbs(q[1]),
            };
            let (sum, h_zero, r_zero) = point.add_mixed_formula_portable(&affine);
            let (ours, h_bits, r_bits) = add_mixed(&p, &q);
            assert_eq!(ours, sum.montgomery_limbs(), "{p:x?} + {q:x?}");
            assert_eq!(h_bits == 0, bool::from(h_zero));
            assert_eq!(r_bits == 0, bool::from(r_zero));
        };
        let mut rng = ChaCha20Rng::seed_from_u64(131);
        let edges = edge_values();
        for a in &edges {
            for b in &edges {
                let r = random_below_p(&mut rng);
                check([*a, *b, r], [*b, *a]);
                check([r, *a, *b], [*a, r]);
                check([*a, r, *b], [r, *b]);
            }
        }
        for _ in 0..10_000 {
            let mut random = || random_below_p(&mut rng);
            check([random(), random(), random()], [random(), random()]);
        }
        // q = ±self with self = G·(Z², Z³) scaled by a random Z: H = 0, and R = 0 or not.
        let g = super::super::point::GENERATOR;
        for _ in 0..100 {
            let z = Fe::from_montgomery_limbs(random_below_p(&mut rng));
            let (x, y) = (g.x.mul(&z.square()), g.y.mul(&z.square()).mul(&z));
            let p = [x, y, z].map(|c| c.montgomery_limbs());
            let (_, h_bits, r_bits) = add_mixed(&p, &[g.x, g.y].map(|c| c.montgomery_limbs()));
            assert_eq!((h_bits, r_bits == 0), (0, true));
            check(p, [g.x, g.y].map(|c| c.montgomery_limbs()));
            check(p, [g.x, g.y.neg()].map(|c| c.montgomery_limbs()));
        }
    }

    /// The loop inside the assembly doubles exactly `n` times for every count from 0 (the
    /// point is left as it is) to 12, from edge and random coordinates, infinity (Z = 0)
    /// among them.
    #[test]
    fn double_n_in_place_matches_repeated_portable_doubling() {
        if skipped() {
            return;
        }
        let mut rng = ChaCha20Rng::seed_from_u64(132);
        let edges = edge_values();
        let mut inputs: Vec<[[u64; 4]; 3]> = edges
            .iter()
            .zip(edges.iter().rev())
            .map(|(a, b)| [*a, *b, *a])
            .collect();
        inputs.extend(edges.iter().map(|e| [*e, *e, [0; 4]]));
        inputs.extend((0..64).map(|_| [(); 3].map(|()| random_below_p(&mut rng))));
        for input in inputs {
            let mut portable = Jacobian::from_montgomery_limbs(input);
            for n in 0..=12 {
                let mut ours = input;
                double_n_in_place(&mut ours, n);
                assert_eq!(
                    ours,
                    portable.montgomery_limbs(),
                    "{n} doublings of {input:x?}"
                );
                portable = portable.double_portable();
            }
        }
    }

    /// A chain of 1,000 doublings of a point, each output the next input, stays equal to the
    /// portable chain.
    #[test]
    fn repeated_doubling_matches_the_portable_formula() {
        if skipped() {
            return;
        }
        let mut ours = Jacobian::from(super::super::point::GENERATOR);
        let mut portable = ours;
        for _ in 0..1_000 {
            ours = ours.double();
            portable = portable.double_portable();
        }
        assert_eq!(ours.montgomery_limbs(), portable.montgomery_limbs());
    }
}
