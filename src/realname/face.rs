//! The details of a face + liveness check (人脸核身, DOMAIN.md §2.1): the similarity score and
//! the threshold that was applied are kept apart, so a regulator can see why an attempt
//! passed.

use core::fmt;

use serde::{Deserialize, Serialize};

use super::Error;

/// A similarity score or threshold in [0, 100], held in hundredths of a point.
///
/// ```
/// use smtrust::realname::Score;
///
/// let score = Score::from_hundredths(8753)?;
/// assert_eq!(score.to_string(), "87.53");
/// assert!(score >= Score::points(70)?);
/// assert!(Score::points(101).is_err());
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u16);

impl Score {
    /// The provider's recommended face threshold, 70 (about 1 false accept in 1,000).
    pub const RECOMMENDED_THRESHOLD: Self = Self(7000);
    /// The stricter threshold 80 (about 1 false accept in 10,000).
    pub const STRICT_THRESHOLD: Self = Self(8000);

    /// The score `hundredths` / 100; above 10000 is an error.
    pub fn from_hundredths(hundredths: u32) -> Result<Self, Error> {
        match u16::try_from(hundredths) {
            Ok(value) if value <= 10000 => Ok(Self(value)),
            _ => Err(Error::ScoreOutOfRange { hundredths }),
        }
    }

    /// A whole-point score, 0 to 100.
    pub fn points(points: u32) -> Result<Self, Error> {
        Self::from_hundredths(points.saturating_mul(100))
    }

    /// The score in hundredths of a point.
    pub const fn hundredths(self) -> u16 {
        self.0
    }
}

impl fmt::Display for Score {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{:02}", self.0 / 100, self.0 % 100)
    }
}

impl Serialize for Score {
    /// A JSON number, `87.53`.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_f64(f64::from(self.0) / 100.0)
    }
}

impl<'de> Deserialize<'de> for Score {
    /// A number in [0, 100], rounded to hundredths.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = f64::deserialize(deserializer)?;
        if !(0.0..=100.0).contains(&value) {
            return Err(serde::de::Error::custom(format_args!(
                "a face score lies in [0, 100], not {value}"
            )));
        }
        // The range check above keeps the rounded product within 0..=10000, so the
        // (saturating) float-to-integer cast is exact.
        Ok(Self((value * 100.0).round() as u16))
    }
}

/// How liveness was established.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, der::Enumerated, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum LivenessMode {
    /// Reading digits aloud / lip movement (数字).
    Digits = 0,
    /// Following prompted actions (动作).
    Action = 1,
    /// Silent, from a still capture (静默).
    Silent = 2,
    /// Coloured light flashes (一闪).
    Flash = 3,
}

/// What the liveness check concluded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, der::Enumerated, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum LivenessStatus {
    /// A live person was in front of the camera.
    Passed = 0,
    /// The capture was judged not live (a photo, a screen, a mask …).
    Failed = 1,
    /// Liveness could not be judged (poor capture, provider error).
    Error = 2,
}

/// The portrait library the capture was compared with (比对库类型).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, der::Enumerated, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[repr(u32)]
#[non_exhaustive]
pub enum CompareLibrary {
    /// The authoritative library (权威库: MPS portraits or CTID).
    Authoritative = 0,
    /// A photo the business supplied (业务方自有库).
    CustomerSupplied = 1,
    /// A second-verification library (二次验证库).
    SecondVerification = 2,
    /// A manual-review library (人工审核库).
    ManualReview = 3,
}

/// The face + liveness details of one attempt.
///
/// ```
/// use smtrust::realname::{CompareLibrary, FaceCheck, LivenessMode, LivenessStatus, Score};
///
/// let face = FaceCheck::new(
///     Score::from_hundredths(8753)?,
///     Score::RECOMMENDED_THRESHOLD,
///     LivenessMode::Silent,
///     LivenessStatus::Passed,
///     CompareLibrary::Authoritative,
/// );
/// assert!(face.score() >= face.threshold());
/// # Ok::<(), smtrust::realname::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, der::Sequence)]
pub struct FaceCheck {
    score: u16,
    threshold: u16,
    liveness_mode: LivenessMode,
    liveness_status: LivenessStatus,
    compare_library: CompareLibrary,
}

impl FaceCheck {
    /// The details of one attempt: the similarity score, the threshold the provider or the
    /// caller applied, and the liveness mode, status and compare library.
    pub fn new(
        score: Score,
        threshold: Score,
        liveness_mode: LivenessMode,
        liveness_status: LivenessStatus,
        compare_library: CompareLibrary,
    ) -> Self {
        Self {
            score: score.0,
            threshold: threshold.0,
            liveness_mode,
            liveness_status,
            compare_library,
        }
    }

    /// The similarity score.
    pub fn score(&self) -> Score {
        Score(self.score)
    }

    /// The threshold that was applied to the score.
    pub fn threshold(&self) -> Score {
        Score(self.threshold)
    }

    /// How liveness was established.
    pub fn liveness_mode(&self) -> LivenessMode {
        self.liveness_mode
    }

    /// What the liveness check concluded.
    pub fn liveness_status(&self) -> LivenessStatus {
        self.liveness_status
    }

    /// The library the capture was compared with.
    pub fn compare_library(&self) -> CompareLibrary {
        self.compare_library
    }

    /// Checks the ranges a decoded value must respect.
    pub(super) fn validate(&self) -> Result<(), Error> {
        Score::from_hundredths(self.score.into())?;
        Score::from_hundredths(self.threshold.into())?;
        Ok(())
    }
}
