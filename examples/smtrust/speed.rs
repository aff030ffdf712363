//! `speed`: operations per second, like `openssl speed`.

use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};
use smtrust::sm2::{CiphertextFormat, DistId, SecretKey, SigningKey};

use crate::io::Outcome;

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Algorithm {
    Sm2,
    Sm3,
    Sm4,
    All,
}

/// Measure operations per second (and MB/s for hashing) on this machine.
#[derive(Args)]
pub struct Speed {
    /// What to measure.
    #[arg(value_enum, default_value = "all")]
    algorithm: Algorithm,
    /// Seconds per operation.
    #[arg(long, default_value_t = 1.0)]
    seconds: f64,
    /// Print `[{"op": NAME, "per_sec": N, "mb_per_sec": N|null}]`.
    #[arg(long)]
    json: bool,
}

struct Measurement {
    op: String,
    per_sec: f64,
    bytes_per_op: Option<usize>,
}

impl Speed {
    pub fn run(self) -> Outcome {
        let budget = Duration::from_secs_f64(self.seconds.clamp(0.01, 600.0));
        let mut results = Vec::new();
        if matches!(self.algorithm, Algorithm::Sm2 | Algorithm::All) {
            measure_sm2(budget, &mut results)?;
        }
        if matches!(self.algorithm, Algorithm::Sm3 | Algorithm::All) {
            for (op, size) in [("sm3-64", 64), ("sm3-8k", 8192)] {
                let data = vec![0x5au8; size];
                let per_sec = rate(budget, || {
                    std::hint::black_box(smtrust::sm3::hash(&data));
                });
                results.push(Measurement {
                    op: op.to_owned(),
                    per_sec,
                    bytes_per_op: Some(size),
                });
            }
        }
        if matches!(self.algorithm, Algorithm::Sm4 | Algorithm::All) {
            measure_sm4(budget, &mut results)?;
        }
        print_results(&results, self.json);
        Ok(())
    }
}

fn measure_sm2(budget: Duration, results: &mut Vec<Measurement>) -> Outcome {
    let mut rng = getrandom::SysRng;
    let message = [0xa5u8; 32];
    let secret = SecretKey::generate(&mut rng)?;
    let public = secret.public_key();
    let signer = SigningKey::new(
        SecretKey::from_bytes(secret.to_bytes().as_ref())?,
        DistId::DEFAULT,
    );
    let signature = signer.sign(&mut rng, &message)?;
    let ciphertext = public
        .encrypt(&mut rng, &message)?
        .to_bytes(CiphertextFormat::Der);
    let mut failed = false;
    let mut push = |op: &str, per_sec| {
        results.push(Measurement {
            op: op.to_owned(),
            per_sec,
            bytes_per_op: None,
        })
    };
    push(
        "sm2-sign",
        rate(budget, || {
            failed |= signer.sign(&mut rng, &message).is_err()
        }),
    );
    push(
        "sm2-verify",
        rate(budget, || {
            failed |= signer.verifying_key().verify(&message, &signature).is_err()
        }),
    );
    push(
        "sm2-encrypt",
        rate(budget, || {
            failed |= public.encrypt(&mut rng, &message).is_err()
        }),
    );
    push(
        "sm2-decrypt",
        rate(budget, || {
            failed |= secret.decrypt(&ciphertext, CiphertextFormat::Der).is_err()
        }),
    );
    if failed {
        return Err(crate::io::Failure::input(
            "an SM2 operation failed while measuring",
        ));
    }
    Ok(())
}

fn measure_sm4(budget: Duration, results: &mut Vec<Measurement>) -> Outcome {
    use smtrust::sm4::{self, Key, Nonce, Padding};
    let key = Key::new([0x42; 16]);
    let iv = [0x24u8; 16];
    let failed = std::cell::Cell::new(false);
    let fail_if = |error: bool| failed.set(failed.get() | error);
    for (suffix, size) in [("64", 64usize), ("8k", 8192)] {
        let data = vec![0x5au8; size];
        let cbc_ciphertext = sm4::cbc_encrypt(&key, &iv, Padding::None, &data)?;
        let ops: [(&str, &mut dyn FnMut()); 5] = [
            ("ecb", &mut || {
                fail_if(sm4::ecb_encrypt(&key, Padding::None, &data).is_err())
            }),
            ("cbc-enc", &mut || {
                fail_if(sm4::cbc_encrypt(&key, &iv, Padding::None, &data).is_err())
            }),
            ("cbc-dec", &mut || {
                fail_if(sm4::cbc_decrypt(&key, &iv, Padding::None, &cbc_ciphertext).is_err())
            }),
            ("ctr", &mut || {
                std::hint::black_box(sm4::ctr_encrypt(&key, &iv, &data));
            }),
            ("gcm", &mut || {
                let nonce = Nonce::assume_unique_for_key([7; 12]);
                fail_if(sm4::gcm_seal(&key, nonce, b"", &data).is_err());
            }),
        ];
        for (mode, op) in ops {
            let per_sec = rate(budget, op);
            results.push(Measurement {
                op: format!("sm4-{mode}-{suffix}"),
                per_sec,
                bytes_per_op: Some(size),
            });
        }
    }
    if failed.get() {
        return Err(crate::io::Failure::input(
            "an SM4 operation failed while measuring",
        ));
    }
    Ok(())
}

/// Runs `op` repeatedly for about `budget` and returns operations per second.
fn rate(budget: Duration, mut op: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut count = 0u64;
    while start.elapsed() < budget {
        for _ in 0..16 {
            op();
        }
        count += 16;
    }
    count as f64 / start.elapsed().as_secs_f64()
}

fn print_results(results: &[Measurement], json: bool) {
    if json {
        let rows: Vec<String> = results
            .iter()
            .map(|m| {
                let mb = m.bytes_per_op.map_or("null".to_owned(), |bytes| {
                    format!("{:.1}", m.per_sec * bytes as f64 / 1e6)
                });
                format!(
                    r#"{{"op": "{}", "per_sec": {:.0}, "mb_per_sec": {}}}"#,
                    m.op, m.per_sec, mb
                )
            })
            .collect();
        println!("[{}]", rows.join(", "));
        return;
    }
    println!("{:<16} {:>14} {:>10}", "operation", "per second", "MB/s");
    for m in results {
        let mb = m.bytes_per_op.map_or(String::new(), |bytes| {
            format!("{:.1}", m.per_sec * bytes as f64 / 1e6)
        });
        println!("{:<16} {:>14.0} {:>10}", m.op, m.per_sec, mb);
    }
}
