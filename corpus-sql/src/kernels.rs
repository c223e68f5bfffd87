//! The stage kernels as SQL functions (DESIGN.md: a kernel runs under the local executor and as a
//! DataFusion UDF alike), and the functions that turn the shards' JSON detail columns into typed
//! ones.
//!
//! Each function calls the same code a `corpus run` does, with the thresholds of the dataset's
//! pipeline config when `--config` names it (the built-in defaults otherwise), so a steward can try
//! a rule over released text before changing a config:
//!
//! | function | returns |
//! |---|---|
//! | `pii_types(text)` | the fine PII types found, sorted, distinct (`[]` when none) |
//! | `redact(text)` | the text as the PII stage would write it into a public tier |
//! | `script(text)` | `hant`, `hans`, `mixed` or `non-cjk` |
//! | `lang(text)` | ISO 639-1 code (`zh`, `en`, …, `und`) |
//! | `quality(text [, contribution_id])` | the quality rule that would drop it, or null |

use std::collections::BTreeMap;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use anyhow::Context as _;
use corpus_core::normalize::NormalizeStage;
use corpus_core::pii::{Detectors, PiiConfig, Policy};
use corpus_core::quality::{QualityConfig, QualityStage, Signals};
use datafusion::arrow::array::{
    Array, ArrayRef, AsArray, ListBuilder, MapBuilder, MapFieldNames, StringArray, StringBuilder, StructArray,
    UInt64Builder,
};
use datafusion::arrow::datatypes::{DataType, Field, Fields};
use datafusion::common::{DataFusionError, Result, exec_err};
use datafusion::logical_expr::{ColumnarValue, ScalarFunctionArgs, ScalarUDF, ScalarUDFImpl, Signature, Volatility};

/// The configs the kernels run with.
#[derive(Debug)]
pub struct Kernels {
    normalize: NormalizeStage,
    quality: QualityStage,
    detectors: Detectors,
    placeholder: String,
}

impl Kernels {
    /// Kernels with the configs of a pipeline (`None`: the built-in defaults).
    pub fn new(config: Option<&corpus_core::pipeline::config::PipelineConfig>) -> anyhow::Result<Self> {
        let (normalize, quality, pii) = match config {
            Some(c) => (c.normalize.clone(), c.quality.clone(), c.pii.clone()),
            None => (Default::default(), QualityConfig::default(), PiiConfig::default()),
        };
        Ok(Self {
            normalize: NormalizeStage::new(&normalize),
            quality: QualityStage::new(&quality).context("the [quality] config")?,
            // What a public tier gets: the recall policy (restricted tiers may use another).
            detectors: Detectors::with_policy(pii.person_names, Policy::Recall),
            placeholder: pii.placeholder,
        })
    }

    /// Every SQL function of this module.
    pub fn udfs(self: &Arc<Self>) -> Vec<ScalarUDF> {
        use Kind::*;
        [PiiTypes, Redact, Script, Lang, Quality, JsonCounts, JsonTotal, QualitySignals]
            .into_iter()
            .map(|kind| ScalarUDF::new_from_impl(Kernel::new(kind, self.clone())))
            .collect()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    PiiTypes,
    Redact,
    Script,
    Lang,
    Quality,
    /// `corpus_json_counts(json)`: a JSON object of counts (the `pii` and `normalize` columns)
    /// as a `Map<Utf8, UInt64>`.
    JsonCounts,
    /// `corpus_json_total(json)`: the sum of such an object's counts, null when null.
    JsonTotal,
    /// `corpus_quality_signals(json)`: the `quality` column as a struct of its signals.
    QualitySignals,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::PiiTypes => "pii_types",
            Kind::Redact => "redact",
            Kind::Script => "script",
            Kind::Lang => "lang",
            Kind::Quality => "quality",
            Kind::JsonCounts => "corpus_json_counts",
            Kind::JsonTotal => "corpus_json_total",
            Kind::QualitySignals => "corpus_quality_signals",
        }
    }
}

#[derive(Debug)]
struct Kernel {
    kind: Kind,
    signature: Signature,
    kernels: Arc<Kernels>,
}

impl Kernel {
    fn new(kind: Kind, kernels: Arc<Kernels>) -> Self {
        let text = || vec![DataType::Utf8];
        let signature = match kind {
            // Deterministic for a given config: the planner may fold them over constants.
            Kind::Quality => Signature::one_of(
                vec![
                    datafusion::logical_expr::TypeSignature::Exact(text()),
                    datafusion::logical_expr::TypeSignature::Exact(vec![DataType::Utf8, DataType::Utf8]),
                ],
                Volatility::Immutable,
            ),
            _ => Signature::exact(text(), Volatility::Immutable),
        };
        Self { kind, signature, kernels }
    }
}

// A kernel is identified by its name: two instances of one function are the same function.
impl PartialEq for Kernel {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
    }
}
impl Eq for Kernel {}
impl Hash for Kernel {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.kind.hash(state);
    }
}

/// The fields of the `quality` struct, in the order the quality stage writes them: every signal
/// of [`Signals`] (the optional n-gram ones set, so none is left out), integers as UInt64, shares
/// as Float64; all nullable (an absent n-gram signal is null).
fn signal_fields() -> Fields {
    let probe = Signals { top_3gram: Some(0.0), top_4gram: Some(0.0), ..Signals::default() };
    let value = serde_json::to_value(probe).unwrap_or_default();
    let object = value.as_object().cloned().unwrap_or_default();
    object
        .iter()
        .map(|(k, v)| Field::new(k, if v.is_u64() { DataType::UInt64 } else { DataType::Float64 }, true))
        .collect()
}

fn counts_type() -> DataType {
    let names = MapFieldNames { entry: "entries".into(), key: "key".into(), value: "value".into() };
    let entries = Fields::from(vec![
        Field::new(&names.key, DataType::Utf8, false),
        Field::new(&names.value, DataType::UInt64, true),
    ]);
    DataType::Map(Arc::new(Field::new(&names.entry, DataType::Struct(entries), false)), false)
}

impl ScalarUDFImpl for Kernel {
    fn name(&self) -> &str {
        self.kind.name()
    }

    fn signature(&self) -> &Signature {
        &self.signature
    }

    fn return_type(&self, _args: &[DataType]) -> Result<DataType> {
        Ok(match self.kind {
            Kind::PiiTypes => DataType::List(Arc::new(Field::new_list_field(DataType::Utf8, true))),
            Kind::Redact | Kind::Script | Kind::Lang | Kind::Quality => DataType::Utf8,
            Kind::JsonCounts => counts_type(),
            Kind::JsonTotal => DataType::UInt64,
            Kind::QualitySignals => DataType::Struct(signal_fields()),
        })
    }

    fn invoke_with_args(&self, args: ScalarFunctionArgs) -> Result<ColumnarValue> {
        let rows = args.number_rows;
        let arrays = ColumnarValue::values_to_arrays(&args.args)?;
        let Some(first) = arrays.first() else { return exec_err!("{}: no argument", self.name()) };
        let text = first.as_string_opt::<i32>().ok_or_else(|| {
            DataFusionError::Execution(format!("{}: the argument must be text, not {}", self.name(), first.data_type()))
        })?;
        let k = &self.kernels;
        let out: ArrayRef = match self.kind {
            Kind::PiiTypes => {
                let mut b = ListBuilder::new(StringBuilder::new());
                for v in text.iter() {
                    match v {
                        Some(v) => {
                            let types: std::collections::BTreeSet<&str> =
                                k.detectors.detect(v).iter().map(|s| s.kind.name()).collect();
                            types.into_iter().for_each(|t| b.values().append_value(t));
                            b.append(true);
                        }
                        None => b.append(false),
                    }
                }
                Arc::new(b.finish())
            }
            Kind::Redact => Arc::new(
                text.iter()
                    .map(|v| v.map(|v| corpus_core::pii::redact(v, &k.detectors.detect(v), &k.placeholder)))
                    .collect::<StringArray>(),
            ),
            Kind::Script => {
                Arc::new(text.iter().map(|v| v.map(|v| k.normalize.classify(v).1.as_str())).collect::<StringArray>())
            }
            Kind::Lang => Arc::new(text.iter().map(|v| v.map(|v| k.normalize.classify(v).0)).collect::<StringArray>()),
            Kind::Quality => {
                let contributions = arrays.get(1).map(|a| a.as_string::<i32>());
                Arc::new(
                    (0..rows)
                        .map(|i| {
                            if text.is_null(i) {
                                return None;
                            }
                            let stage = match contributions {
                                Some(c) if c.is_valid(i) => k.quality.for_contribution(c.value(i)),
                                _ => &k.quality,
                            };
                            stage.judge(&stage.signals(text.value(i))).map(|(reason, _)| reason.code())
                        })
                        .collect::<StringArray>(),
                )
            }
            Kind::JsonCounts => {
                let names = MapFieldNames { entry: "entries".into(), key: "key".into(), value: "value".into() };
                let mut b = MapBuilder::new(Some(names), StringBuilder::new(), UInt64Builder::new());
                for v in text.iter() {
                    match v.map(counts).transpose()? {
                        Some(map) => {
                            for (key, n) in map {
                                b.keys().append_value(key);
                                b.values().append_value(n);
                            }
                            b.append(true)?;
                        }
                        None => b.append(false)?,
                    }
                }
                Arc::new(b.finish())
            }
            Kind::JsonTotal => {
                let mut b = UInt64Builder::with_capacity(rows);
                for v in text.iter() {
                    b.append_option(v.map(counts).transpose()?.map(|m| m.values().sum::<u64>()));
                }
                Arc::new(b.finish())
            }
            Kind::QualitySignals => Arc::new(quality_signals(text)?),
        };
        Ok(ColumnarValue::Array(out))
    }
}

/// A JSON object of counts (`{"EMAIL":1,"TW_MOBILE":2}`), in key order.
fn counts(json: &str) -> Result<BTreeMap<String, u64>> {
    serde_json::from_str(json).map_err(|e| DataFusionError::Execution(format!("not a JSON object of counts: {e}")))
}

/// The `quality` JSON column as a struct array of [`signal_fields`].
fn quality_signals(json: &StringArray) -> Result<StructArray> {
    let fields = signal_fields();
    let parsed: Vec<Option<serde_json::Map<String, serde_json::Value>>> = json
        .iter()
        .map(|v| {
            v.map(|v| serde_json::from_str(v).map_err(|e| DataFusionError::Execution(format!("quality: {e}"))))
                .transpose()
        })
        .collect::<Result<_>>()?;
    let columns: Vec<ArrayRef> = fields
        .iter()
        .map(|f| {
            let get = |o: &Option<serde_json::Map<String, serde_json::Value>>| {
                o.as_ref().and_then(|o| o.get(f.name())).cloned()
            };
            let column: ArrayRef = if f.data_type() == &DataType::UInt64 {
                Arc::new(
                    parsed
                        .iter()
                        .map(|o| get(o).and_then(|v| v.as_u64()))
                        .collect::<datafusion::arrow::array::UInt64Array>(),
                )
            } else {
                Arc::new(
                    parsed
                        .iter()
                        .map(|o| get(o).and_then(|v| v.as_f64()))
                        .collect::<datafusion::arrow::array::Float64Array>(),
                )
            };
            column
        })
        .collect();
    let nulls = datafusion::arrow::buffer::NullBuffer::from(parsed.iter().map(Option::is_some).collect::<Vec<_>>());
    StructArray::try_new(fields, columns, Some(nulls)).map_err(DataFusionError::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signal_fields_cover_every_signal_the_stage_writes() {
        let fields = signal_fields();
        let names: Vec<&str> = fields.iter().map(|f| f.name().as_str()).collect();
        for name in ["chars", "cjk_share", "top_3gram", "top_4gram", "terminated_chars", "han_words"] {
            assert!(names.contains(&name), "{name} missing from {names:?}");
        }
        assert_eq!(fields.find("chars").map(|(_, f)| f.data_type().clone()), Some(DataType::UInt64));
        assert_eq!(fields.find("cjk_share").map(|(_, f)| f.data_type().clone()), Some(DataType::Float64));
    }

    #[test]
    fn counts_refuse_what_is_not_an_object_of_counts() {
        assert_eq!(counts(r#"{"EMAIL":1,"TW_MOBILE":2}"#).ok().map(|m| m.len()), Some(2));
        assert!(counts("[1]").is_err());
        assert!(counts(r#"{"EMAIL":"x"}"#).is_err());
    }
}
