import Foundation
import Synchronization

/// Reads a job's exit code from the skylet's log line
/// `ERROR: Job N failed with return code X on node R.` (or `Job N's setup failed ...`).
final class ExitCodeScanner: Sendable {
    let jobID: Int
    private let code = Mutex<Int?>(nil)

    init(jobID: Int) {
        self.jobID = jobID
    }

    var value: Int? { code.withLock { $0 } }

    func scan(_ line: String) {
        guard line.contains("ERROR: Job \(jobID)"), let range = line.range(of: "return code ") else { return }
        let digits = line[range.upperBound...].prefix { $0.isNumber || $0 == "-" }
        if let value = Int(digits) { code.withLock { $0 = value } }
    }
}
