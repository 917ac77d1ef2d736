import ArgumentParser
import SkyCore

/// Exit codes of `sky logs --status` and `sky jobs logs --status` (reference section 3.2).
enum JobExitCode: Int32, Sendable {
    case succeeded = 0
    case failed = 100
    case notFinished = 101
    case notFound = 102
    case cancelled = 103

    /// The code for a cluster or managed job status name (`SUCCEEDED`, `FAILED_SETUP`, ...);
    /// every other name (INIT, PENDING, RUNNING, RECOVERING, ...) is not finished.
    init(statusName: String) {
        switch statusName.uppercased() {
        case "SUCCEEDED": self = .succeeded
        case "CANCELLED": self = .cancelled
        case let name where name.hasPrefix("FAILED"): self = .failed
        default: self = .notFinished
        }
    }

    /// The code for a cluster job status.
    init(_ status: JobStatus) {
        self = JobExitCode(rawValue: status.exitCode) ?? .failed
    }

    /// Throw this from `run()` to end the process with the code.
    var exitCode: ExitCode { ExitCode(rawValue) }
}
