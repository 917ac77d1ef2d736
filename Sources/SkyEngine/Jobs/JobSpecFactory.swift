import Foundation
import SkyCore

/// Builds the `JobSpec` the skylet gets from a task (reference section 2 demands: CPUs 0.5 per
/// node unless the task names CPUs; GPUs = the accelerator count).
package enum JobSpecFactory {
    /// SkyPilot's default per-node CPU demand of a job.
    package static let defaultCPUDemand = 0.5

    package static func make(
        task: Task, userName: String, userHash: String, includeSetup: Bool
    ) -> JobSpec {
        let resources = task.resources.first ?? Resources()
        let cpus = resources.cpus?.value ?? defaultCPUDemand
        let gpus = resources.accelerator?.count ?? 0
        let shape: String
        if let accelerator = resources.accelerator {
            shape = accelerator.description
        } else {
            shape = "CPU:" + (cpus == cpus.rounded() ? String(Int(cpus)) : String(cpus))
        }
        return JobSpec(
            name: task.name, user: userName, userHash: userHash, numNodes: max(1, task.numNodes),
            setup: includeSetup ? task.setup : nil, run: task.run,
            envs: task.envs.map { [$0.0, $0.1] }, secrets: task.secrets.map { [$0.0, $0.1] },
            cpusPerNode: cpus, gpusPerNode: gpus,
            resourcesString: "\(max(1, task.numNodes))x[\(shape)]")
    }
}
