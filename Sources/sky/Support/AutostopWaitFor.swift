import ArgumentParser

/// `--wait-for` of launch, start and autostop: what counts as activity for the idle timer.
enum AutostopWaitFor: String, CaseIterable, ExpressibleByArgument, Sendable {
    /// Wait for running jobs and active ssh sessions (the default).
    case jobsAndSSH = "jobs_and_ssh"
    /// Wait for running jobs only.
    case jobs
    /// Stop after the idle time regardless of jobs or sessions.
    case none
}
