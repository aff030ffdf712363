//! The Montgomery multiplication and squaring of `montgomery.rs` in x86-64 assembly with
//! MULX (BMI2) and ADCX/ADOX (ADX): each row of the schoolbook product runs two carry chains,
//! CF over the low halves and OF over the high halves, so the additions of one row do not
//! wait on each other. The reduction is the same multiplication-free special-form step (four
//! times), then one subtraction of p kept or dropped with CMOV.
//!
//! Same inputs and outputs as the portable code (Montgomery form, inputs and outputs below
//! p); the tests in `montgomery.rs` hold both to fiat-crypto. Callers check BMI2 and ADX
//! first ([`available`]).
//!
//! Constant time: a fixed instruction sequence, no branches, no memory access that depends
//! on the values.
#![allow(unsafe_code)]

/// Whether the CPU runs MULX, ADCX and ADOX (std caches the CPUID answer).
#[inline(always)]
pub(super) fn available() -> bool {
    std::is_x86_feature_detected!("bmi2") && std::is_x86_feature_detected!("adx")
}

/// The reduction shared by [`mul`] and [`square`]: T = r15:…:r8 (r11:…:r8 the low half) in,
/// T·2⁻²⁵⁶ mod p out in r11:…:r8. Each step takes m = the lowest limb and adds m at limbs 0
/// and 3 and subtracts m·2³² at limbs 0 and 2 of the rest ((W + m·p)/2⁶⁴, see
/// `montgomery.rs`); the limbs rotate one register each step, so after four they are back
/// in r8–r11. Then the high half is added and p subtracted once, under CMOV. Clobbers rax,
/// rcx, rdx, r12–r15 and the flags.
macro_rules! reduce_asm {
    () => {
        concat!(
            reduce_step!("r8", "r9", "r10", "r11"),
            reduce_step!("r9", "r10", "r11", "r8"),
            reduce_step!("r10", "r11", "r8", "r9"),
            reduce_step!("r11", "r8", "r9", "r10"),
            // r11:…:r8 + r15:…:r12 (below 2p) with the carry in rax.
            "xor eax, eax\n",
            "add r8, r12\n",
            "adc r9, r13\n",
            "adc r10, r14\n",
            "adc r11, r15\n",
            "adc rax, 0\n",
            // The value minus p in r15:…:r12; rcx and rdx hold p's limbs 1 and 3.
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

/// One reduction step with m in `$m` and the rest of the low half in `$a`, `$b`, `$c`: the
/// result is `$a`, `$b`, `$c`, `$m` (lowest first).
macro_rules! reduce_step {
    ($m:literal, $a:literal, $b:literal, $c:literal) => {
        concat!(
            "mov rax, ",
            $m,
            "\n",
            "shl rax, 32\n",
            "mov rcx, ",
            $m,
            "\n",
            "shr rcx, 32\n",
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

/// One row of the product, rdx = aᵢ, adding aᵢ·b into r(8+i)…r(8+i+3) and setting r(8+i+4):
/// low halves on the CF chain, high halves on the OF chain, both carries into the new limb.
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

/// a·b·2⁻²⁵⁶ mod p for a, b < p. Only call when [`available`].
#[inline(always)]
pub(super) fn mul(a: &[u64; 4], b: &[u64; 4]) -> [u64; 4] {
    let (r0, r1, r2, r3);
    // SAFETY: the assembly reads the 32 bytes of `a` (rsi) and of `b` (rdi), both valid
    // `[u64; 4]` references, and nothing else in memory; it writes only registers, all of
    // which are declared (rax, rcx, rdx, r8–r15 as outputs or clobbers; the flags are
    // clobbered by default) and does not touch the stack. MULX/ADCX/ADOX need BMI2 and ADX,
    // which the caller checked with `available`.
    unsafe {
        core::arch::asm!(
            // Row 0: a₀·b into r12:…:r8.
            "mov rdx, [rsi]",
            "mulx r9, r8, [rdi]",
            "mulx r10, rax, [rdi + 8]",
            "add r9, rax",
            "mulx r11, rax, [rdi + 16]",
            "adc r10, rax",
            "mulx r12, rax, [rdi + 24]",
            "adc r11, rax",
            "adc r12, 0",
            "mov rdx, [rsi + 8]",
            mul_row!("r9", "r10", "r11", "r12", "r13"),
            "mov rdx, [rsi + 16]",
            mul_row!("r10", "r11", "r12", "r13", "r14"),
            "mov rdx, [rsi + 24]",
            mul_row!("r11", "r12", "r13", "r14", "r15"),
            reduce_asm!(),
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
}

/// a²·2⁻²⁵⁶ mod p for a < p: the six cross products, doubled, plus the four squares. Only
/// call when [`available`].
#[inline(always)]
pub(super) fn square(a: &[u64; 4]) -> [u64; 4] {
    let (r0, r1, r2, r3);
    // SAFETY: the assembly reads the 32 bytes of `a` (rsi), a valid `[u64; 4]` reference, and
    // nothing else in memory; it writes only registers, all of which are declared (rax, rcx,
    // rdx, r8–r15 as outputs or clobbers; the flags are clobbered by default) and does not
    // touch the stack. MULX/ADCX/ADOX need BMI2 and ADX, which the caller checked with
    // `available`.
    unsafe {
        core::arch::asm!(
            // Cross products a₀·(a₁, a₂, a₃) into r12:…:r9.
            "mov rdx, [rsi]",
            "mulx r10, r9, [rsi + 8]",
            "mulx r11, rax, [rsi + 16]",
            "add r10, rax",
            "mulx r12, rax, [rsi + 24]",
            "adc r11, rax",
            "adc r12, 0",
            // a₁·(a₂, a₃) into r13:…:r11.
            "mov rdx, [rsi + 8]",
            "xor eax, eax",
            "mulx rcx, rax, [rsi + 16]",
            "adcx r11, rax",
            "adox r12, rcx",
            "mulx r13, rax, [rsi + 24]",
            "adcx r12, rax",
            "mov eax, 0",
            "adcx r13, rax",
            "adox r13, rax",
            // a₂·a₃ into r14:r13.
            "mov rdx, [rsi + 16]",
            "mulx r14, rax, [rsi + 24]",
            "add r13, rax",
            "adc r14, 0",
            // Doubled: r15:…:r9 = 2·cross.
            "xor r15d, r15d",
            "add r9, r9",
            "adc r10, r10",
            "adc r11, r11",
            "adc r12, r12",
            "adc r13, r13",
            "adc r14, r14",
            "adc r15, 0",
            // Plus the squares aᵢ² at limbs 2i, 2i + 1 (MOV and MULX keep the carry).
            "mov rdx, [rsi]",
            "mulx rcx, r8, rdx",
            "add r9, rcx",
            "mov rdx, [rsi + 8]",
            "mulx rcx, rax, rdx",
            "adc r10, rax",
            "adc r11, rcx",
            "mov rdx, [rsi + 16]",
            "mulx rcx, rax, rdx",
            "adc r12, rax",
            "adc r13, rcx",
            "mov rdx, [rsi + 24]",
            "mulx rcx, rax, rdx",
            "adc r14, rax",
            "adc r15, rcx",
            reduce_asm!(),
            in("rsi") a.as_ptr(),
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
}
