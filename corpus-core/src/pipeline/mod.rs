//! Config → plan → run: the pipeline wires the stages together; no stage knows another.

pub mod config;
pub mod executor;
mod gate;
mod ids;
pub mod plan;
pub mod planfile;
pub mod reporter;
pub mod steps;
#[cfg(test)]
mod tests;
mod work;
mod workdir;

use crate::stage::Stage;
pub use config::{LoadedConfig, PipelineConfig};
pub use executor::{
    Opened, RunOptions, RunSummary, StageSummary, Status, StepTime, TIMINGS_FILE, open_plan, run, run_stage, status,
    write_plan,
};
pub use plan::{Plan, check_overlap, plan, plan_files, real_path};
pub use planfile::{PLAN_FORMAT, PlanFile, PlanSource};
pub use reporter::{NoopReporter, Phase, Reporter};
pub use steps::{Step, StepRun, StepStatus, apply_stages};
pub use work::PLAN_FILE;

/// The stages of a plan, in pipeline order: licence → normalize → quality → pii → dedup →
/// tokenize. Stages not built yet are absent, so documents pass through them; each stage's
/// issue adds it here.
pub fn build_stages(plan: &Plan) -> crate::error::Result<Vec<Box<dyn Stage>>> {
    let mut stages: Vec<Box<dyn Stage>> = Vec::new();
    stages
        .push(Box::new(crate::licence::LicenceStage::new(std::sync::Arc::clone(&plan.licensing), &plan.contributions)));
    let config = &plan.config.config;
    if config.normalize.enabled {
        stages.push(Box::new(crate::normalize::NormalizeStage::new(&config.normalize)));
    }
    if config.quality.enabled {
        stages.push(Box::new(crate::quality::QualityStage::new(&config.quality)?));
    }
    let pii = &config.pii;
    if pii.enabled {
        stages.push(Box::new(crate::pii::PiiStage::new(pii)));
    }
    Ok(stages)
}
