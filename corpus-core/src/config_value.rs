//! Values that every stage's config checks the same way, so that `nan`, `inf` or a share of
//! 1.5 is an error naming its key and line, never a rule that silently keeps or drops all.

use serde::{Deserialize, Deserializer};

/// A share in [0, 1] (`nan` is none).
pub fn share<'de, D: Deserializer<'de>>(d: D) -> Result<f64, D::Error> {
    let f = f64::deserialize(d)?;
    if !(0.0..=1.0).contains(&f) {
        return Err(serde::de::Error::custom(format!("must be a share between 0 and 1, not {f}")));
    }
    Ok(f)
}

#[cfg(test)]
mod tests {
    #[derive(Debug, serde::Deserialize)]
    struct T {
        #[serde(deserialize_with = "super::share")]
        x: f64,
    }

    #[test]
    fn shares_refuse_nan_infinity_and_out_of_range() {
        for bad in ["nan", "inf", "-0.1", "1.5"] {
            assert!(toml::from_str::<T>(&format!("x = {bad}")).is_err(), "{bad}");
        }
        assert_eq!(toml::from_str::<T>("x = 0.3").map(|t| t.x).ok(), Some(0.3));
    }
}
