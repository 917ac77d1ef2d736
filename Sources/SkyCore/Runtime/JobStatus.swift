/// Status of a job in a cluster's job queue (reference 3.2). The order of the cases is the
/// order of "finality": a later case is more final than an earlier one.
public enum JobStatus: String, Codable, Sendable, Hashable, CaseIterable, Comparable {
    case initializing = "INIT"
    case pending = "PENDING"
    case settingUp = "SETTING_UP"
    case running = "RUNNING"
    case failedDriver = "FAILED_DRIVER"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case failedSetup = "FAILED_SETUP"
    case cancelled = "CANCELLED"

    /// INIT, PENDING, SETTING_UP and RUNNING are not terminal.
    public var isTerminal: Bool {
        switch self {
        case .initializing, .pending, .settingUp, .running: false
        default: true
        }
    }

    /// `sky logs --status` exit code (`JobExitCode`): 0 succeeded, 100 any failure,
    /// 101 not finished, 103 cancelled. (102, not found, has no status.)
    public var exitCode: Int32 {
        switch self {
        case .succeeded: 0
        case .failed, .failedSetup, .failedDriver: 100
        case .cancelled: 103
        case .initializing, .pending, .settingUp, .running: 101
        }
    }

    /// Exit code for "no such job".
    public static let notFoundExitCode: Int32 = 102

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    public static func < (lhs: JobStatus, rhs: JobStatus) -> Bool { lhs.rank < rhs.rank }
}
