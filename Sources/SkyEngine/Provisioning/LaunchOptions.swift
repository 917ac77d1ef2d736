import SkyCore

/// Options of `sky launch` beyond the task.
package struct LaunchOptions: Sendable {
    package var clusterName: String?
    package var retryUntilUp = false
    /// `-d`: return once the job is submitted.
    package var detach = false
    /// Skip setup on an existing cluster.
    package var noSetup = false
    /// Skip provisioning and setup when the cluster is already UP.
    package var fast = false
    /// `-i`: idle minutes to autostop.
    package var idleMinutes: Int?
    /// `--down`: autostop tears down (idle 0 unless `-i`).
    package var down = false
    package var waitFor: String?
    /// The command line, for `last_creation_command` / `last_use`.
    package var commandLine: String = "sky launch"
    /// Delay between rounds of `--retry-until-up`.
    package var retryDelay: Duration = .seconds(10)

    package init(clusterName: String? = nil) {
        self.clusterName = clusterName
    }

    /// The autostop to set: the options, else the task's `resources.autostop`.
    func autostop(_ task: Task) -> ClusterSpec.AutostopSpec? {
        if idleMinutes != nil || down {
            return ClusterSpec.AutostopSpec(
                idleMinutes: idleMinutes ?? 0, down: down, waitFor: waitFor ?? "jobs_and_ssh")
        }
        if let fromTask = task.resources.first?.autostop {
            return ClusterSpec.AutostopSpec(
                idleMinutes: fromTask.idleMinutes, down: fromTask.down,
                waitFor: waitFor ?? fromTask.waitFor)
        }
        return nil
    }
}

/// What `launch` did.
package struct LaunchResult: Sendable {
    package var clusterName: String
    package var jobID: Int?
    /// Final status when the logs were followed; nil with `-d`.
    package var jobStatus: JobStatus?
    /// Failed attempts on other candidates before the launch worked.
    package var failoverHistory: [String]

    /// Process exit code: the job's (`JobStatus.exitCode`), 0 when detached.
    package var exitCode: Int32 { jobStatus?.exitCode ?? 0 }
}
