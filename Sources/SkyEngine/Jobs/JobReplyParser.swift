import Foundation
import SkyCore

/// Reads the reply lines of a skylet call that submits a job (`submit [--follow]`,
/// `start --submit [--follow]`): `{"pid": N}` when it set the cluster up, `{"job_id": N}`,
/// then log lines and the status line; an error line in place of a reply says why it failed.
struct JobReplyParser: Sendable {
    enum Event {
        /// The cluster is set up (the skylet printed its daemon's pid).
        case started
        case submitted(Int)
        case log(String)
        /// A reply line consumed here (status, error, an unexpected line before the id).
        case none
    }

    /// Whether a `{"pid": N}` line comes first.
    let expectStart: Bool
    private(set) var started = false
    private(set) var jobID: Int?
    private(set) var error: String?
    private(set) var status: JobStatus?

    init(expectStart: Bool) {
        self.expectStart = expectStart
    }

    mutating func feed(_ line: String) -> Event {
        if line.hasPrefix(SkyletWire.errorMarker) {
            error = String(line.dropFirst(SkyletWire.errorMarker.count))
            return .none
        }
        if expectStart && !started {
            guard Self.number("pid", in: line) != nil else { return .none }
            started = true
            return .started
        }
        if jobID == nil {
            guard let id = Self.number("job_id", in: line) else { return .none }
            jobID = id
            return .submitted(id)
        }
        if line.hasPrefix(SkyletWire.statusMarker) {
            status = JobStatus(rawValue: String(line.dropFirst(SkyletWire.statusMarker.count)))
            return .none
        }
        return .log(line)
    }

    /// `key`'s integer in a one-line JSON object `{"key": N}`.
    static func number(_ key: String, in line: String) -> Int? {
        guard line.hasPrefix("{"), let data = line.data(using: .utf8),
            let object = try? JSONValue.parse(data), case .int(let n)? = object[key]
        else { return nil }
        return n
    }
}
